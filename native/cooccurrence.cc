// The builtin embedder's co-occurrence count (src/embed/builtin/train.ts, countCooccurrences)
// compiled: the same packed keys w * size + c for every window pair and gloss head, both ways,
// counted as the JS counts them (a float incremented once per key), so the CSR is the JS's bit
// for bit (tested). The JS sorted its keys with TypedArray#sort; here an LSD radix sort over the
// keys' 16-bit digits. At 1M terms the count took 21-26 s of the embed stage.
//
//   cooccurrence(tokens, tokenStart, heads, headStart, size, window, glossWeight)
//     -> { offsets: Uint32Array(size + 1), columns: Int32Array, values: Float32Array }
//
// Document d's tokens are tokens[tokenStart[d] .. tokenStart[d + 1]), its heads alike; every id
// must be below `size`.
#include <node_api.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "addon.h"

namespace {

struct Docs {
  const int32_t* tokens = nullptr;
  size_t tokenCount = 0;
  const uint32_t* tokenStart = nullptr;
  size_t docs = 0;
  const int32_t* heads = nullptr;
  size_t headCount = 0;
  const uint32_t* headStart = nullptr;
  size_t headDocs = 0;
};

// Calls emit(w, c, times) for every pair the JS pushes, in its order.
template <typename Emit>
void forEachPair(const Docs& d, int32_t window, Emit emit) {
  for (size_t doc = 0; doc < d.docs; doc++) {
    const int32_t* t = d.tokens + d.tokenStart[doc];
    const int64_t n = static_cast<int64_t>(d.tokenStart[doc + 1] - d.tokenStart[doc]);
    for (int64_t i = 0; i < n; i++) {
      const int64_t end = std::min<int64_t>(n, i + window + 1);
      for (int64_t j = i + 1; j < end; j++)
        if (t[i] != t[j]) emit(t[i], t[j], 1);
    }
    for (uint32_t h = d.headStart[doc]; h < d.headStart[doc + 1]; h++)
      for (int64_t i = 0; i < n; i++)
        if (d.heads[h] != t[i]) emit(d.heads[h], t[i], 0);
  }
}

// Offsets that start at 0, ascend and end at `values`, one per document and one more.
bool startsFit(const uint32_t* start, size_t length, size_t docs, size_t values) {
  if (length != docs + 1 || start[0] != 0 || start[docs] != values) return false;
  for (size_t i = 0; i < docs; i++)
    if (start[i + 1] < start[i]) return false;
  return true;
}

// LSD radix sort of `keys` (all below 2^bits) by 16-bit digits, `scratch` as long as keys.
void radixSort(std::vector<uint64_t>& keys, std::vector<uint64_t>& scratch, int bits) {
  std::vector<size_t> count(65537);
  for (int shift = 0; shift < bits; shift += 16) {
    std::fill(count.begin(), count.end(), 0);
    for (const uint64_t k : keys) count[((k >> shift) & 0xffff) + 1]++;
    for (size_t i = 0; i < 65536; i++) count[i + 1] += count[i];
    for (const uint64_t k : keys) scratch[count[(k >> shift) & 0xffff]++] = k;
    keys.swap(scratch);
  }
}

napi_value cooccurrence(napi_env env, napi_callback_info info) {
  napi_value argv[7];
  const char* where = "cooccurrence(tokens, tokenStart, heads, headStart, size, window, glossWeight)";
  if (arguments(env, info, argv) != 7) return fail(env, where, "seven arguments");
  Docs d;
  size_t tokenStarts, headStarts;
  uint32_t* ts;
  uint32_t* hs;
  int32_t* tk;
  int32_t* hd;
  int32_t size, window, glossWeight;
  if (!typed(env, argv[0], napi_int32_array, &tk, &d.tokenCount) || !typed(env, argv[1], napi_uint32_array, &ts, &tokenStarts) ||
      !typed(env, argv[2], napi_int32_array, &hd, &d.headCount) || !typed(env, argv[3], napi_uint32_array, &hs, &headStarts) ||
      napi_get_value_int32(env, argv[4], &size) != napi_ok || napi_get_value_int32(env, argv[5], &window) != napi_ok ||
      napi_get_value_int32(env, argv[6], &glossWeight) != napi_ok)
    return fail(env, where, "bad argument");
  d.tokens = tk;
  d.heads = hd;
  d.tokenStart = ts;
  d.headStart = hs;
  if (tokenStarts == 0 || headStarts != tokenStarts) return fail(env, where, "tokenStart and headStart must have one entry per document and one more");
  d.docs = tokenStarts - 1;
  if (!startsFit(ts, tokenStarts, d.docs, d.tokenCount) || !startsFit(hs, headStarts, d.docs, d.headCount)) return fail(env, where, "document offsets do not fit the tokens or heads");
  if (size <= 0 || size > (1 << 26) || window < 0 || glossWeight < 0) return fail(env, where, "size, window or glossWeight out of range");
  for (size_t i = 0; i < d.tokenCount; i++)
    if (tk[i] < 0 || tk[i] >= size) return fail(env, where, "a token id outside the vocabulary");
  for (size_t i = 0; i < d.headCount; i++)
    if (hd[i] < 0 || hd[i] >= size) return fail(env, where, "a head id outside the vocabulary");

  // Count first, then fill: one allocation of exactly the keys (the JS doubled a Float64Array).
  uint64_t total = 0;
  forEachPair(d, window, [&](int32_t, int32_t, int kind) { total += 2 * static_cast<uint64_t>(kind == 1 ? 1 : glossWeight); });
  std::vector<uint64_t> keys(total);
  size_t n = 0;
  const uint64_t S = static_cast<uint64_t>(size);
  forEachPair(d, window, [&](int32_t w, int32_t c, int kind) {
    const int times = kind == 1 ? 1 : glossWeight;
    for (int t = 0; t < times; t++) {
      keys[n++] = static_cast<uint64_t>(w) * S + static_cast<uint64_t>(c);
      keys[n++] = static_cast<uint64_t>(c) * S + static_cast<uint64_t>(w);
    }
  });
  int bits = 0;
  while (bits < 64 && (S * S - 1) >> bits != 0) bits++;
  {
    std::vector<uint64_t> scratch(total);
    radixSort(keys, scratch, bits);
  }
  size_t unique = 0;
  for (size_t i = 0; i < n; i++)
    if (i == 0 || keys[i] != keys[i - 1]) unique++;

  uint32_t* offsets = nullptr;
  int32_t* columns = nullptr;
  float* values = nullptr;
  napi_value offsetsValue = newTypedArray(env, napi_uint32_array, S + 1, &offsets);
  napi_value columnsValue = newTypedArray(env, napi_int32_array, unique, &columns);
  napi_value valuesValue = newTypedArray(env, napi_float32_array, unique, &values);
  if (offsetsValue == nullptr || columnsValue == nullptr || valuesValue == nullptr) return fail(env, where, "could not allocate the offsets, columns and values");
  std::memset(offsets, 0, (S + 1) * 4);
  if (unique > 0) std::memset(values, 0, unique * 4);
  napi_value out;
  int64_t k = -1;
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || keys[i] != keys[i - 1]) {
      k++;
      const uint64_t w = keys[i] / S;
      columns[k] = static_cast<int32_t>(keys[i] - w * S);
      offsets[w + 1]++;
    }
    // As the JS's values[k]++: a float plus one, rounded to a float (exact below 2^24).
    values[k] = static_cast<float>(static_cast<double>(values[k]) + 1);
  }
  for (size_t w = 0; w < S; w++) offsets[w + 1] += offsets[w];
  napi_create_object(env, &out);
  napi_set_named_property(env, out, "offsets", offsetsValue);
  napi_set_named_property(env, out, "columns", columnsValue);
  napi_set_named_property(env, out, "values", valuesValue);
  return out;
}

}  // namespace

void registerCooccurrence(napi_env env, napi_value exports) { exportFunction(env, exports, "cooccurrence", cooccurrence); }
