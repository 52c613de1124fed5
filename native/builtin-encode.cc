// The builtin embedder's sums (src/embed/builtin/model.ts, BuiltinEncoder.encodeAll) compiled:
// JS still normalises, tokenises, lemmatises and hashes each term's n-grams into a plan; here the
// plan's vectors are added up and the row normalised, by the same operations in the same order
// (doubles, each sum stored to a float as the JS Float32Arrays store it), so the vectors are the
// JS's bit for bit (tested). The n-gram table (2^18 rows of 512 bytes) is read at random: 100k
// terms of the 1M-term list took 7.3 s in JS for 6.5M n-gram rows, 0.5 s of it hashing.
//
//   encodePlans(vectors, ngrams, dims, plan, weights, count, out, unknown) -> undefined
//
// plan, per term: own (the phrase's vocabulary row or -1), tokens, then per token: lemma (its
// row or -1), n (buckets), the n buckets; weights: the n-gram weight of each token, in order.
// out: count rows of dims floats; unknown[t] = 1 where the sum was zero (JS gives those rows a
// seeded random direction, as it always has).
#include <node_api.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <cmath>
#include <cstdint>
#include <vector>

#include "addon.h"

namespace {

// dst[d] += weight * src[d] for d < dims, each sum stored to a float.
void addRowScalar(float* dst, const float* src, double weight, int32_t dims) {
  for (int32_t d = 0; d < dims; d++) dst[d] = static_cast<float>(static_cast<double>(dst[d]) + weight * static_cast<double>(src[d]));
}

#if defined(__x86_64__)
// The same, four lanes at a time: the same multiply, add and rounding per element (no FMA), so the
// same floats. GCC leaves the scalar loop unvectorised.
__attribute__((target("avx"))) void addRowAvx(float* dst, const float* src, double weight, int32_t dims) {
  const __m256d w = _mm256_set1_pd(weight);
  int32_t d = 0;
  for (; d + 4 <= dims; d += 4) {
    const __m256d x = _mm256_cvtps_pd(_mm_loadu_ps(dst + d));
    const __m256d y = _mm256_cvtps_pd(_mm_loadu_ps(src + d));
    _mm_storeu_ps(dst + d, _mm256_cvtpd_ps(_mm256_add_pd(x, _mm256_mul_pd(w, y))));
  }
  addRowScalar(dst + d, src + d, weight, dims - d);
}
#endif

using AddRow = void (*)(float*, const float*, double, int32_t);

// The widest addRow this CPU runs.
AddRow pickAddRow() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx")) return addRowAvx;
#endif
  return addRowScalar;
}

// The lines of an n-gram row, fetched while the rows before it are added.
inline void prefetchRow(const float* row, int32_t dims) {
  for (int32_t d = 0; d < dims; d += 16) PF(row + d);
}

napi_value encodePlans(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  const char* where = "encodePlans(vectors, ngrams, dims, plan, weights, count, out, unknown)";
  float *vectors, *ngrams, *out;
  int32_t* plan;
  double* weights;
  uint8_t* unknown;
  size_t nv, nn, np, nw, no, nu;
  int32_t dims, count;
  if (arguments(env, info, argv) != 8 || !typed(env, argv[0], napi_float32_array, &vectors, &nv) || !typed(env, argv[1], napi_float32_array, &ngrams, &nn) ||
      napi_get_value_int32(env, argv[2], &dims) != napi_ok || !typed(env, argv[3], napi_int32_array, &plan, &np) || !typed(env, argv[4], napi_float64_array, &weights, &nw) ||
      napi_get_value_int32(env, argv[5], &count) != napi_ok || !typed(env, argv[6], napi_float32_array, &out, &no) || !typed(env, argv[7], napi_uint8_array, &unknown, &nu))
    return fail(env, where, "bad argument");
  if (dims <= 0 || count < 0 || no < static_cast<size_t>(count) * dims || nu < static_cast<size_t>(count)) return fail(env, where, "out or unknown shorter than count rows");
  const int64_t vectorRows = static_cast<int64_t>(nv / dims);
  const int64_t ngramRows = static_cast<int64_t>(nn / dims);
  // Check the whole plan before writing anything: every row it names exists.
  size_t p = 0;
  size_t w = 0;
  for (int32_t t = 0; t < count; t++) {
    if (p + 2 > np) return fail(env, where, "the plan ends early");
    const int32_t own = plan[p++];
    const int32_t tokens = plan[p++];
    if (own < -1 || own >= vectorRows || tokens < 1) return fail(env, where, "a term's own row or token count out of range");
    for (int32_t k = 0; k < tokens; k++) {
      if (p + 2 > np || w >= nw) return fail(env, where, "the plan ends early");
      const int32_t lemma = plan[p++];
      const int32_t n = plan[p++];
      w++;
      if (lemma < -1 || lemma >= vectorRows || n < 0 || p + static_cast<size_t>(n) > np) return fail(env, where, "a token's lemma row or bucket count out of range");
      for (int32_t b = 0; b < n; b++)
        if (plan[p + b] < 0 || plan[p + b] >= ngramRows) return fail(env, where, "a bucket outside the n-gram table");
      p += n;
    }
  }
  std::vector<float> sum(dims);
  const AddRow addRow = pickAddRow();
  p = 0;
  w = 0;
  constexpr int AHEAD = 4;  // buckets fetched ahead, within the token
  for (int32_t t = 0; t < count; t++) {
    float* row = out + static_cast<size_t>(t) * dims;
    for (int32_t d = 0; d < dims; d++) row[d] = 0;
    const int32_t own = plan[p++];
    const int32_t tokens = plan[p++];
    if (tokens > 1 && own >= 0) addRow(row, vectors + static_cast<size_t>(own) * dims, 1, dims);
    for (int32_t d = 0; d < dims; d++) sum[d] = 0;
    for (int32_t k = 0; k < tokens; k++) {
      const int32_t lemma = plan[p++];
      const int32_t n = plan[p++];
      const double weight = weights[w++];
      const int32_t* buckets = plan + p;
      for (int32_t b = 0; b < n && b < AHEAD; b++) prefetchRow(ngrams + static_cast<size_t>(buckets[b]) * dims, dims);
      if (lemma >= 0) addRow(sum.data(), vectors + static_cast<size_t>(lemma) * dims, 1, dims);
      for (int32_t b = 0; b < n; b++) {
        if (b + AHEAD < n) prefetchRow(ngrams + static_cast<size_t>(buckets[b + AHEAD]) * dims, dims);
        addRow(sum.data(), ngrams + static_cast<size_t>(buckets[b]) * dims, weight, dims);
      }
      p += n;
    }
    const double scale = 1.0 / tokens;
    addRow(row, sum.data(), scale, dims);
    double s = 0;
    for (int32_t d = 0; d < dims; d++) s += static_cast<double>(row[d]) * static_cast<double>(row[d]);
    unknown[t] = s == 0 ? 1 : 0;
    if (s == 0) continue;
    const double inv = 1 / std::sqrt(s);
    for (int32_t d = 0; d < dims; d++) row[d] = static_cast<float>(static_cast<double>(row[d]) * inv);
  }
  return nullptr;
}

}  // namespace

void registerBuiltinEncode(napi_env env, napi_value exports) { exportFunction(env, exports, "encodePlans", encodePlans); }
