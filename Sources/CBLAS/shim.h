#ifndef SHEARS_CBLAS_SHIM_H
#define SHEARS_CBLAS_SHIM_H
// OpenBLAS's CBLAS (Debian's libopenblas-dev) and LAPACKE (liblapacke-dev) for SVD/rank.
#include <cblas.h>
#include <lapacke.h>
#endif
