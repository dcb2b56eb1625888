#include "CEditLineShim.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>

// The only mutable state: set by the handler, read and cleared by the program.
static atomic_int lineedit_sigint_latch = 0;

static void lineedit_sigint_handler(int signo) {
  (void)signo;
  atomic_store(&lineedit_sigint_latch, 1);
}

int lineedit_sigint_install(int restart_syscalls, struct sigaction *previous) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = lineedit_sigint_handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = restart_syscalls ? SA_RESTART : 0;
  if (sigaction(SIGINT, &action, previous) != 0) {
    return errno;
  }
  return 0;
}

int lineedit_sigint_restore(const struct sigaction *previous) {
  if (sigaction(SIGINT, previous, NULL) != 0) {
    return errno;
  }
  return 0;
}

int lineedit_sigint_default(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGINT, &action, NULL) != 0) {
    return errno;
  }
  return 0;
}

int lineedit_sigint_latch_is_installed(void) {
  struct sigaction current;
  if (sigaction(SIGINT, NULL, &current) != 0) {
    return 0;
  }
  return current.sa_handler == lineedit_sigint_handler ? 1 : 0;
}

int lineedit_sigint_is_set(void) { return atomic_load(&lineedit_sigint_latch); }

void lineedit_sigint_clear(void) { atomic_store(&lineedit_sigint_latch, 0); }

int lineedit_sigint_take(void) { return atomic_exchange(&lineedit_sigint_latch, 0); }
