#ifndef SHEARS_CDNNL_SHIM_H
#define SHEARS_CDNNL_SHIM_H
// oneDNN 2.6 C API (Debian's libdnnl-dev). The engine targets the 2.x descriptor API
// (dnnl_*_desc_init); 3.x removed it, so fail early with a clear message.
#include <dnnl.h>
#include <dlfcn.h>
#if DNNL_VERSION_MAJOR != 2
#error "Shears needs oneDNN 2.x (Debian's libdnnl-dev 2.6); 3.x changed the C API"
#endif

// libgomp's thread-count setter, looked up at run time: oneDNN uses omp_get_max_threads() of the
// calling thread and offers no thread-count API of its own, and -lgomp is not on the default
// library path. Returns 0 when libgomp is not loaded.
static inline int shears_omp_set_num_threads(int n) {
  void (*fn)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
  if (!fn) return 0;
  fn(n);
  return 1;
}
static inline int shears_omp_get_max_threads(void) {
  int (*fn)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "omp_get_max_threads");
  return fn ? fn() : -1;
}

// Runs `fn(data)` on every thread of a team of `threads` (the calling thread's OpenMP pool, the
// one oneDNN runs on) through libgomp's GOMP_parallel — the entry point GCC emits for
// `#pragma omp parallel` — looked up at run time like the functions above; each call learns its
// place from shears_omp_thread_num(). Without libgomp (or for one thread) it runs `fn(data)` once
// on the caller. Returns the team size.
static inline int shears_omp_parallel(void (*fn)(void *), void *data, unsigned threads) {
  void (*parallel)(void (*)(void *), void *, unsigned, unsigned) =
      (void (*)(void (*)(void *), void *, unsigned, unsigned))dlsym(RTLD_DEFAULT, "GOMP_parallel");
  if (!parallel || threads <= 1) {
    fn(data);
    return 1;
  }
  parallel(fn, data, threads, 0);
  return (int)threads;
}
static inline int shears_omp_thread_num(void) {
  int (*fn)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "omp_get_thread_num");
  return fn ? fn() : 0;
}
// The size of the team the caller runs in (1 outside a parallel region or without libgomp):
// OpenMP may give a team fewer threads than asked for.
static inline int shears_omp_num_threads(void) {
  int (*fn)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "omp_get_num_threads");
  return fn ? fn() : 1;
}
#endif
