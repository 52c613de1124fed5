// One chunk of the paper's edge order (src/cluster/order.ts, `sortChunk`) compiled: the chunk's
// edges u < v collected in (u, v) order with their keys (~ the weight's bits), then a stable LSD
// radix sort by key in 11/11/10-bit digits, a digit all share skipped. Stable, so the same order
// as the JS's (tested). On the 1M planted graph (one chunk of 32M edges) the JS took 1.5 s to
// collect and 2.9 s to sort.
//
//   orderChunk(offsets, targets, bits, ids | null, above | null, chunk, key0, key1, src0, src1, dst0, dst1)
//       -> 2 * length + side (the side, 0 or 1, whose buffers hold the sorted chunk)
//
// `bits` is the weights' Int32 view; with `ids` (each edge's chunk, Uint8/16/32Array) only the
// edges of `chunk` are taken, row u's edges above u starting at above[u].
#include <node_api.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "addon.h"

namespace {

constexpr int SHIFT[3] = {0, 11, 22};
constexpr uint32_t MASK[3] = {0x7ff, 0x7ff, 0x3ff};
constexpr size_t BUCKETS = 1 << 11;

struct Buffers {
  int32_t* key[2];
  int32_t* src[2];
  int32_t* dst[2];
  size_t length = 0;
};

struct Ids {
  const uint8_t* u8 = nullptr;
  const uint16_t* u16 = nullptr;
  const uint32_t* u32 = nullptr;
  size_t length = 0;
  uint32_t operator[](size_t e) const { return u8 != nullptr ? u8[e] : u16 != nullptr ? u16[e] : u32[e]; }
};

bool idsOf(napi_env env, napi_value value, Ids* ids) {
  uint8_t* p8;
  uint16_t* p16;
  uint32_t* p32;
  if (typed(env, value, napi_uint8_array, &p8, &ids->length)) ids->u8 = p8;
  else if (typed(env, value, napi_uint16_array, &p16, &ids->length)) ids->u16 = p16;
  else if (typed(env, value, napi_uint32_array, &p32, &ids->length)) ids->u32 = p32;
  else return false;
  return true;
}

inline void push(Buffers& b, size_t n, int32_t k, int32_t u, int32_t v, std::vector<size_t>* hist) {
  b.key[0][n] = k;
  b.src[0][n] = u;
  b.dst[0][n] = v;
  const uint32_t x = static_cast<uint32_t>(k);
  for (int d = 0; d < 3; d++) hist[d][(x >> SHIFT[d]) & MASK[d]]++;
}

napi_value orderChunk(napi_env env, napi_callback_info info) {
  napi_value argv[12];
  const size_t argc = arguments(env, info, argv);
  Offsets offsets, above;
  int32_t *targets, *bits;
  size_t targetCount, bitCount;
  Ids ids;
  int64_t chunk = 0;
  Buffers b;
  bool ok = argc == 12 && offsetsOf(env, argv[0], &offsets) && offsets.length > 0 && typed(env, argv[1], napi_int32_array, &targets, &targetCount) &&
            typed(env, argv[2], napi_int32_array, &bits, &bitCount) && napi_get_value_int64(env, argv[5], &chunk) == napi_ok;
  const bool withIds = ok && !absent(env, argv[3]);
  if (withIds) ok = idsOf(env, argv[3], &ids) && offsetsOf(env, argv[4], &above) && above.length + 1 == offsets.length;
  for (int i = 0; ok && i < 6; i++) {
    int32_t* p;
    size_t length;
    ok = typed(env, argv[6 + i], napi_int32_array, &p, &length);
    if (!ok) break;
    if (i == 0 || length < b.length) b.length = length;
    (i < 2 ? b.key : i < 4 ? b.src : b.dst)[i % 2] = p;
  }
  if (!ok) return fail(env, "orderChunk(offsets, targets, bits, ids, above, chunk, key0, key1, src0, src1, dst0, dst1): bad argument");
  const size_t n = offsets.length - 1;
  if (!offsets.whole() || !above.whole() || offsets[0] != 0 || offsets[n] > static_cast<int64_t>(targetCount) || bitCount < targetCount)
    return fail(env, "orderChunk: offsets do not fit the targets and weights");
  for (size_t u = 0; u < n; u++)
    if (offsets[u + 1] < offsets[u] || (withIds && (above[u] < offsets[u] || above[u] > offsets[u + 1]))) return fail(env, "orderChunk: offsets out of order");

  std::vector<size_t> hist[3] = {std::vector<size_t>(BUCKETS), std::vector<size_t>(BUCKETS), std::vector<size_t>(BUCKETS)};
  size_t count = 0;
  if (!withIds) {
    for (size_t u = 0; u < n; u++) {
      const int32_t su = static_cast<int32_t>(u);
      for (int64_t h = offsets[u], end = offsets[u + 1]; h < end; h++) {
        const int32_t v = targets[h];
        if (v <= su) continue;
        if (count == b.length) return fail(env, "orderChunk: more edges than the buffers hold");
        push(b, count++, ~bits[h], su, v, hist);
      }
    }
  } else {
    size_t e = 0;
    for (size_t u = 0; u < n; u++) {
      const int64_t start = above[u], end = offsets[u + 1];
      if (e + static_cast<size_t>(end - start) > ids.length) return fail(env, "orderChunk: fewer chunk ids than edges");
      for (int64_t h = start; h < end; h++, e++) {
        if (ids[e] != static_cast<uint64_t>(chunk)) continue;
        if (count == b.length) return fail(env, "orderChunk: more edges than the buffers hold");
        push(b, count++, ~bits[h], static_cast<int32_t>(u), targets[h], hist);
      }
    }
  }

  int side = 0;
  for (int d = 0; d < 3; d++) {
    std::vector<size_t>& c = hist[d];
    const int32_t* key = b.key[side];
    if (count == 0 || c[(static_cast<uint32_t>(key[0]) >> SHIFT[d]) & MASK[d]] == count) continue;
    std::vector<size_t> at(BUCKETS);
    size_t run = 0;
    for (size_t i = 0; i < BUCKETS; i++) {
      at[i] = run;
      run += c[i];
    }
    const int32_t *src = b.src[side], *dst = b.dst[side];
    const int other = 1 - side;
    int32_t *key2 = b.key[other], *src2 = b.src[other], *dst2 = b.dst[other];
    for (size_t i = 0; i < count; i++) {
      const int32_t k = key[i];
      const size_t to = at[(static_cast<uint32_t>(k) >> SHIFT[d]) & MASK[d]]++;
      key2[to] = k;
      src2[to] = src[i];
      dst2[to] = dst[i];
    }
    side = other;
  }
  return number(env, 2.0 * static_cast<double>(count) + side);
}

}  // namespace

void registerOrder(napi_env env, napi_value exports) { exportFunction(env, exports, "orderChunk", orderChunk); }
