// The CSR build of src/cluster/graph.ts compiled: the degree count and the fill, one edge chunk
// per call, and the per-row sort and merge. The same rows come out as from the JS (tested): a row
// sorted by target, duplicates merged to their largest weight in the order they were read. On the
// 1M planted graph (35M edges read) the JS spent 3.3 s in the two passes and 3.5 s sorting rows.
//
//   csrDegrees(a, b, length, nodeCount, degrees) -> -1, or the first edge with an endpoint out of range
//   csrFill(a, b, weights | null, length, offsets, cursor, targets, targetWeights | null)
//       -> -1, or the first edge that does not fit its rows (the source changed between the passes)
//   csrSortRows(offsets, targets, weights | null) -> the half-edges kept; offsets rewritten in place
//
// `degrees` / `cursor` are Float64Arrays of nodeCount + 1 (graph.ts counts in doubles so that they
// never overflow); self loops are skipped as in the JS.
#include <node_api.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "addon.h"

namespace {

struct Chunk {
  const int32_t* a = nullptr;
  const int32_t* b = nullptr;
  size_t aLength = 0, bLength = 0;
  int64_t length = 0;
};

bool chunkOf(napi_env env, napi_value a, napi_value b, napi_value length, Chunk* c) {
  int32_t *pa, *pb;
  if (!typed(env, a, napi_int32_array, &pa, &c->aLength) || !typed(env, b, napi_int32_array, &pb, &c->bLength)) return false;
  c->a = pa;
  c->b = pb;
  if (napi_get_value_int64(env, length, &c->length) != napi_ok) return false;
  return c->length >= 0 && static_cast<size_t>(c->length) <= c->aLength && static_cast<size_t>(c->length) <= c->bLength;
}

napi_value csrDegrees(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  const size_t argc = arguments(env, info, argv);
  Chunk c;
  int32_t n;
  double* deg;
  size_t degLength;
  const bool ok = argc == 5 && chunkOf(env, argv[0], argv[1], argv[2], &c) && napi_get_value_int32(env, argv[3], &n) == napi_ok && n >= 0 &&
                  typed(env, argv[4], napi_float64_array, &deg, &degLength) && degLength == static_cast<size_t>(n) + 1;
  if (!ok) return fail(env, "csrDegrees(a, b, length, nodeCount, degrees): bad argument");
  for (int64_t i = 0; i < c.length; i++) {
    const int32_t u = c.a[i], v = c.b[i];
    if (u < 0 || u >= n || v < 0 || v >= n) return number(env, static_cast<double>(i));
    if (u == v) continue;
    deg[u]++;
    deg[v]++;
  }
  return number(env, -1);
}

napi_value csrFill(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  const size_t argc = arguments(env, info, argv);
  Chunk c;
  Offsets offsets;
  double* cursor;
  int32_t* targets;
  const float* w = nullptr;
  float* weights = nullptr;
  size_t cursorLength, targetCount, wLength = 0, weightCount = 0;
  float* pw;
  bool ok = argc == 8 && chunkOf(env, argv[0], argv[1], argv[3], &c) && offsetsOf(env, argv[4], &offsets) && offsets.length > 0 &&
            typed(env, argv[5], napi_float64_array, &cursor, &cursorLength) && cursorLength == offsets.length &&
            typed(env, argv[6], napi_int32_array, &targets, &targetCount);
  if (ok && !absent(env, argv[2])) {
    ok = typed(env, argv[2], napi_float32_array, &pw, &wLength) && wLength >= static_cast<size_t>(c.length);
    w = pw;
  }
  if (ok && !absent(env, argv[7])) ok = typed(env, argv[7], napi_float32_array, &weights, &weightCount) && weightCount >= targetCount;
  if (!ok) return fail(env, "csrFill(a, b, weights, length, offsets, cursor, targets, targetWeights): bad argument");
  const int64_t n = static_cast<int64_t>(offsets.length) - 1;
  if (!offsets.whole() || offsets[n] > static_cast<int64_t>(targetCount)) return fail(env, "csrFill: offsets do not fit the targets");
  for (int64_t i = 0; i < c.length; i++) {
    const int32_t u = c.a[i], v = c.b[i];
    if (u < 0 || u >= n || v < 0 || v >= n) return number(env, static_cast<double>(i));
    if (u == v) continue;
    // A slot is taken only inside its row and the targets, whatever the cursor and offsets hold.
    const double pu = cursor[u], pv = cursor[v], room = static_cast<double>(targetCount);
    if (!(pu >= static_cast<double>(offsets[u]) && pu < static_cast<double>(offsets[u + 1]) && pv >= static_cast<double>(offsets[v]) &&
          pv < static_cast<double>(offsets[v + 1]) && pu < room && pv < room))
      return number(env, static_cast<double>(i));
    cursor[u] = pu + 1;
    cursor[v] = pv + 1;
    const int64_t iu = static_cast<int64_t>(pu), iv = static_cast<int64_t>(pv);
    targets[iu] = v;
    targets[iv] = u;
    if (weights != nullptr) {
      const float x = w != nullptr ? w[i] : 1.0f;
      weights[iu] = x;
      weights[iv] = x;
    }
  }
  return number(env, -1);
}

napi_value csrSortRows(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  const size_t argc = arguments(env, info, argv);
  Offsets offsets;
  int32_t* targets;
  float* weights = nullptr;
  size_t targetCount, weightCount = 0;
  bool ok = argc == 3 && offsetsOf(env, argv[0], &offsets) && offsets.length > 0 && typed(env, argv[1], napi_int32_array, &targets, &targetCount);
  if (ok && !absent(env, argv[2])) ok = typed(env, argv[2], napi_float32_array, &weights, &weightCount) && weightCount >= targetCount;
  if (!ok) return fail(env, "csrSortRows(offsets, targets, weights): bad argument");
  const size_t n = offsets.length - 1;
  if (!offsets.whole() || offsets[0] != 0 || offsets[n] > static_cast<int64_t>(targetCount)) return fail(env, "csrSortRows: offsets do not fit the targets");
  for (size_t u = 0; u < n; u++)
    if (offsets[u + 1] < offsets[u]) return fail(env, "csrSortRows: offsets decrease");
  // Keys target * 2^32 + position in the row: a plain integer sort then keeps duplicates in the
  // order they were read, which the JS's merge (first weight, then any larger one) depends on.
  std::vector<uint64_t> keys;
  std::vector<float> w;
  int64_t write = 0;
  int64_t start = offsets[0];
  for (size_t u = 0; u < n; u++) {
    const int64_t end = offsets[u + 1];
    const int64_t len = end - start;
    offsets.set(u, write);
    if (len == 0) continue;
    keys.resize(static_cast<size_t>(len));
    for (int64_t i = 0; i < len; i++) keys[i] = (static_cast<uint64_t>(static_cast<uint32_t>(targets[start + i])) << 32) | static_cast<uint64_t>(i);
    if (weights != nullptr) w.assign(weights + start, weights + end);
    std::sort(keys.begin(), keys.end());
    int64_t last = -1;
    for (int64_t i = 0; i < len; i++) {
      const int64_t t = static_cast<int64_t>(keys[i] >> 32);
      const float x = weights != nullptr ? w[keys[i] & 0xffffffffu] : 0.0f;
      if (t == last) {
        if (weights != nullptr && x > weights[write - 1]) weights[write - 1] = x;
        continue;
      }
      targets[write] = static_cast<int32_t>(t);
      if (weights != nullptr) weights[write] = x;
      write++;
      last = t;
    }
    start = end;
  }
  offsets.set(n, write);
  return number(env, static_cast<double>(write));
}

}  // namespace

void registerCsr(napi_env env, napi_value exports) {
  exportFunction(env, exports, "csrDegrees", csrDegrees);
  exportFunction(env, exports, "csrFill", csrFill);
  exportFunction(env, exports, "csrSortRows", csrSortRows);
}
