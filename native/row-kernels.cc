// The builtin embedder's randomized-SVD kernels (src/util/row-parallel.ts, runKernel) compiled:
// on a range of rows, the sparse × dense product, the Gram matrix's part and the dense product.
// Each output element is summed in the JS's order (the loops over j are independent lanes, so
// vectorising them reorders nothing, and -ffp-contract=off keeps a * b + c two roundings), so the
// vectors are the JS's bit for bit (tested). RowParallel still splits the rows in two halves, one
// per thread. At 1M terms these loops took 43 thread-seconds of JS in the embed stage.
//
//   spmmRows(offsets, columns, values, x, k, y, r0, r1)   y[r] += values[e] * x[columns[e]] over row r's entries
//   gramRows(x, k, g, r0, r1)                              g[i][j >= i] += x[r][i] * x[r][j]
//   mulRows(x, k, mat, m, y, r0, r1)                       y[r] += x[r][i] * mat[i]
#include <node_api.h>

#include <cstdint>

#include "addon.h"

namespace {

// r0 <= r1, and rows [r0, r1) of a rows-by-width matrix of `length` numbers exist.
bool rowsFit(int64_t r0, int64_t r1, int64_t width, size_t length) { return r0 >= 0 && r0 <= r1 && width > 0 && r1 * width <= static_cast<int64_t>(length); }

bool rangeOf(napi_env env, napi_value a, napi_value b, int64_t* r0, int64_t* r1) {
  return napi_get_value_int64(env, a, r0) == napi_ok && napi_get_value_int64(env, b, r1) == napi_ok;
}

napi_value spmmRows(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  const char* where = "spmmRows(offsets, columns, values, x, k, y, r0, r1)";
  uint32_t* offsets;
  int32_t* columns;
  float* values;
  double *x, *y;
  size_t no, nc, nv, nx, ny;
  int32_t k;
  int64_t r0, r1;
  if (arguments(env, info, argv) != 8 || !typed(env, argv[0], napi_uint32_array, &offsets, &no) || !typed(env, argv[1], napi_int32_array, &columns, &nc) ||
      !typed(env, argv[2], napi_float32_array, &values, &nv) || !typed(env, argv[3], napi_float64_array, &x, &nx) || napi_get_value_int32(env, argv[4], &k) != napi_ok ||
      !typed(env, argv[5], napi_float64_array, &y, &ny) || !rangeOf(env, argv[6], argv[7], &r0, &r1))
    return fail(env, where, "bad argument");
  if (!rowsFit(r0, r1, k, ny) || static_cast<size_t>(r1) >= no) return fail(env, where, "rows out of range");
  const int64_t xRows = static_cast<int64_t>(nx) / k;
  for (int64_t w = r0; w < r1; w++) {
    if (offsets[w + 1] < offsets[w] || offsets[w + 1] > nc || offsets[w + 1] > nv) return fail(env, where, "offsets do not fit the columns and values");
    for (uint32_t e = offsets[w]; e < offsets[w + 1]; e++)
      if (columns[e] < 0 || columns[e] >= xRows) return fail(env, where, "a column outside x");
  }
  for (int64_t w = r0; w < r1; w++) {
    double* __restrict yr = y + w * k;
    for (uint32_t e = offsets[w]; e < offsets[w + 1]; e++) {
      const double a = values[e];
      if (a == 0) continue;
      const double* __restrict xr = x + static_cast<int64_t>(columns[e]) * k;
      for (int32_t j = 0; j < k; j++) yr[j] += a * xr[j];
    }
  }
  return nullptr;
}

napi_value gramRows(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  const char* where = "gramRows(x, k, g, r0, r1)";
  double *x, *g;
  size_t nx, ng;
  int32_t k;
  int64_t r0, r1;
  if (arguments(env, info, argv) != 5 || !typed(env, argv[0], napi_float64_array, &x, &nx) || napi_get_value_int32(env, argv[1], &k) != napi_ok ||
      !typed(env, argv[2], napi_float64_array, &g, &ng) || !rangeOf(env, argv[3], argv[4], &r0, &r1))
    return fail(env, where, "bad argument");
  if (!rowsFit(r0, r1, k, nx) || static_cast<int64_t>(ng) < static_cast<int64_t>(k) * k) return fail(env, where, "rows out of range, or g smaller than k x k");
  for (int64_t r = r0; r < r1; r++) {
    const double* __restrict xr = x + r * k;
    for (int32_t i = 0; i < k; i++) {
      const double xi = xr[i];
      if (xi == 0) continue;
      double* __restrict gi = g + static_cast<int64_t>(i) * k;
      for (int32_t j = i; j < k; j++) gi[j] += xi * xr[j];
    }
  }
  return nullptr;
}

napi_value mulRows(napi_env env, napi_callback_info info) {
  napi_value argv[7];
  const char* where = "mulRows(x, k, mat, m, y, r0, r1)";
  double *x, *mat, *y;
  size_t nx, nm, ny;
  int32_t k, m;
  int64_t r0, r1;
  if (arguments(env, info, argv) != 7 || !typed(env, argv[0], napi_float64_array, &x, &nx) || napi_get_value_int32(env, argv[1], &k) != napi_ok ||
      !typed(env, argv[2], napi_float64_array, &mat, &nm) || napi_get_value_int32(env, argv[3], &m) != napi_ok || !typed(env, argv[4], napi_float64_array, &y, &ny) ||
      !rangeOf(env, argv[5], argv[6], &r0, &r1))
    return fail(env, where, "bad argument");
  if (!rowsFit(r0, r1, k, nx) || !rowsFit(r0, r1, m, ny) || static_cast<int64_t>(nm) < static_cast<int64_t>(k) * m) return fail(env, where, "rows out of range, or mat smaller than k x m");
  for (int64_t r = r0; r < r1; r++) {
    const double* __restrict xr = x + r * k;
    double* __restrict yr = y + r * m;
    for (int32_t i = 0; i < k; i++) {
      const double xi = xr[i];
      if (xi == 0) continue;
      const double* __restrict mi = mat + static_cast<int64_t>(i) * m;
      for (int32_t j = 0; j < m; j++) yr[j] += xi * mi[j];
    }
  }
  return nullptr;
}

}  // namespace

void registerRowKernels(napi_env env, napi_value exports) {
  exportFunction(env, exports, "spmmRows", spmmRows);
  exportFunction(env, exports, "gramRows", gramRows);
  exportFunction(env, exports, "mulRows", mulRows);
}
