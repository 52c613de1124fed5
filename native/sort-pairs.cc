// The candidates' raw pairs of one range of rows sorted into the stored order (src/candidates/
// raw-pairs.ts, `dedupePairs`): (a, b) ascending, a pair found twice kept once with its higher
// score. The same result as the JS, from the spilled file's interleaved records (a, b, score bits)
// without unpacking them first. At 928k terms the JS unpack and sort took 19 s (profiled); the
// stage's pairs step, which also spills the raw pairs, went from 18-21 s to 13-14 s.
#include <node_api.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "addon.h"

namespace {

struct Pair {
  uint32_t b;
  float score;
};

// sortPairs(words: Uint32Array, rows, base): { a: Uint32Array, b: Uint32Array, cosine: Float32Array }
napi_value sortPairs(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  const uint32_t* words;
  size_t length;
  int64_t rows, base;
  if (argc != 3 || !typed(env, argv[0], napi_uint32_array, &words, &length) || length % 3 != 0 || napi_get_value_int64(env, argv[1], &rows) != napi_ok ||
      napi_get_value_int64(env, argv[2], &base) != napi_ok || rows < 0 || base < 0)
    return fail(env, "sortPairs(words: Uint32Array, rows, base): bad argument");
  const size_t count = length / 3;
  // Bucket by a (a counting pass), then sort each bucket by b and merge its duplicates.
  std::vector<uint32_t> offsets(static_cast<size_t>(rows) + 1, 0);
  for (size_t i = 0; i < count; i++) {
    const int64_t x = static_cast<int64_t>(words[3 * i]) - base;
    if (x < 0 || x >= rows) return fail(env, "sortPairs: a pair's row a lies outside the range");
    offsets[x + 1]++;
  }
  for (int64_t x = 0; x < rows; x++) offsets[x + 1] += offsets[x];
  std::vector<uint32_t> cursor(offsets.begin(), offsets.end() - 1);
  std::vector<Pair> pairs(count);
  for (size_t i = 0; i < count; i++) {
    Pair& p = pairs[cursor[words[3 * i] - base]++];
    p.b = words[3 * i + 1];
    std::memcpy(&p.score, &words[3 * i + 2], 4);
  }
  std::vector<uint32_t> perRow(static_cast<size_t>(rows), 0);
  size_t w = 0;
  for (int64_t x = 0; x < rows; x++) {
    Pair* from = pairs.data() + offsets[x];
    Pair* to = pairs.data() + offsets[x + 1];
    std::sort(from, to, [](const Pair& p, const Pair& q) { return p.b < q.b; });
    const size_t start = w;
    for (Pair* p = from; p < to; p++) {
      if (w > start && pairs[w - 1].b == p->b) {
        if (p->score > pairs[w - 1].score) pairs[w - 1].score = p->score;
        continue;
      }
      pairs[w++] = *p;
    }
    perRow[x] = static_cast<uint32_t>(w - start);
  }
  uint32_t* aOut = nullptr;
  uint32_t* bOut = nullptr;
  float* cOut = nullptr;
  napi_value a = newTypedArray(env, napi_uint32_array, w, &aOut);
  napi_value b = newTypedArray(env, napi_uint32_array, w, &bOut);
  napi_value cosine = newTypedArray(env, napi_float32_array, w, &cOut);
  if (a == nullptr || b == nullptr || cosine == nullptr) return fail(env, "sortPairs: could not allocate the sorted pairs");
  size_t at = 0;
  for (int64_t x = 0; x < rows; x++)
    for (uint32_t j = 0; j < perRow[x]; j++) aOut[at++] = static_cast<uint32_t>(base + x);
  for (size_t i = 0; i < w; i++) bOut[i] = pairs[i].b, cOut[i] = pairs[i].score;
  napi_value result;
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "a", a);
  napi_set_named_property(env, result, "b", b);
  napi_set_named_property(env, result, "cosine", cosine);
  return result;
}

}  // namespace

void registerSortPairs(napi_env env, napi_value exports) { exportFunction(env, exports, "sortPairs", sortPairs); }
