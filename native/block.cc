// The candidates stage's block kernel (src/candidates/native-kernel.ts): every (query, row) inner
// product strictly above the lower of its query's and its row's threshold, in query-major then row
// order, as the ONNX graph `blockBoth` of src/candidates/onnx-graph.ts returns them.
//
// Fused: a 6-query x 16-row tile of scores lives in AVX2 registers, is compared with its bounds
// there and only the passing scores leave, where ONNX Runtime writes the whole score matrix and
// passes over it three more times (Greater, NonZero, GatherND). Measured on 8,192 queries x 256
// rows (a cell's block), 128 dimensions, 2 threads: 171 M scores/s by ONNX Runtime, 264 M by this
// on a quiet machine (one thread: 135 and 160); 60 and 160 M while another build ran. At 928k
// terms the candidates scan took 66 s instead of 117, with the same pairs.
//
// Every score is one FMA chain over the dimensions in order (j = 0 .. d-1), whatever the path
// (AVX2 lanes or the scalar fallback) or the thread count, so results never depend on either.
// MLAS's SGEMM accumulates the same way for d up to its K stride, and the two kernels gave
// bit-identical results on 128 dimensions (test/native-kernel.test.ts).
//
// The work runs off the JS thread (napi async work) and splits the queries over `threads` threads,
// each producing its queries' hits in order, joined in thread order.
#include <node_api.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define SYNOGRAPH_AVX2 1
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include "addon.h"

namespace {

constexpr int MR = 6;   // queries per tile
constexpr int NR = 16;  // rows per panel: two 8-lane vectors

// The rows' vectors in panels of 16 rows, dimension-major within a panel (a panel's dimension j is
// 16 consecutive floats), zero-padded to a whole panel.
void packRows(const float* vectors, int d, const int32_t* rows, int n, float* out) {
  const int panels = (n + NR - 1) / NR;
  for (int p = 0; p < panels; p++) {
    float* dst = out + static_cast<size_t>(p) * d * NR;
    for (int i = 0; i < NR; i++) {
      const int at = p * NR + i;
      if (at < n) {
        const float* src = vectors + static_cast<size_t>(rows[at]) * d;
        for (int j = 0; j < d; j++) dst[j * NR + i] = src[j];
      } else {
        for (int j = 0; j < d; j++) dst[j * NR + i] = 0.f;
      }
    }
  }
}

#ifdef SYNOGRAPH_AVX2
// One tile: scores of mq (<= MR) queries against a panel; masks[i] has bit c when row c passes.
__attribute__((target("avx2,fma"))) void tileAvx2(const float* const* q, int mq, const float* panel, int d, const float* queryBound, const float* rowBound, float* scores, uint32_t* masks) {
  __m256 acc[MR][2];
  for (int i = 0; i < MR; i++) acc[i][0] = acc[i][1] = _mm256_setzero_ps();
  for (int j = 0; j < d; j++) {
    const __m256 x0 = _mm256_loadu_ps(panel + j * NR);
    const __m256 x1 = _mm256_loadu_ps(panel + j * NR + 8);
    for (int i = 0; i < MR; i++) {
      const __m256 b = _mm256_broadcast_ss(q[i] + j);
      acc[i][0] = _mm256_fmadd_ps(b, x0, acc[i][0]);
      acc[i][1] = _mm256_fmadd_ps(b, x1, acc[i][1]);
    }
  }
  // Every lane of the tile, with constant indices, so that the accumulators stay in registers (with
  // `i < mq` here GCC kept them on the stack and stored all 12 at every dimension).
  const __m256 r0 = _mm256_loadu_ps(rowBound);
  const __m256 r1 = _mm256_loadu_ps(rowBound + 8);
  for (int i = 0; i < MR; i++) {
    const __m256 t = _mm256_broadcast_ss(queryBound + std::min(i, mq - 1));
    const uint32_t m0 = static_cast<uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(acc[i][0], _mm256_min_ps(t, r0), _CMP_GT_OQ)));
    const uint32_t m1 = static_cast<uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(acc[i][1], _mm256_min_ps(t, r1), _CMP_GT_OQ)));
    masks[i] = i < mq ? m0 | (m1 << 8) : 0;
    _mm256_storeu_ps(scores + i * NR, acc[i][0]);
    _mm256_storeu_ps(scores + i * NR + 8, acc[i][1]);
  }
}
#endif

void tileScalar(const float* const* q, int mq, const float* panel, int d, const float* queryBound, const float* rowBound, float* scores, uint32_t* masks) {
  for (int i = 0; i < mq; i++) {
    uint32_t m = 0;
    for (int c = 0; c < NR; c++) {
      float a = 0.f;
      for (int j = 0; j < d; j++) a = std::fma(q[i][j], panel[j * NR + c], a);
      scores[i * NR + c] = a;
      if (a > std::min(queryBound[i], rowBound[c])) m |= 1u << c;
    }
    masks[i] = m;
  }
}

bool simd() {
#ifdef SYNOGRAPH_AVX2
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

struct Hits {
  std::vector<int32_t> query, row;
  std::vector<float> score;
};

struct Block {
  // Inputs (views of JS typed arrays, held by references until the work completes).
  const float* vectors = nullptr;
  int d = 0;
  const int32_t* queries = nullptr;
  int m = 0;
  const int32_t* rows = nullptr;
  int n = 0;
  const float* thresholds = nullptr;
  const float* rowThresholds = nullptr;  // null: the query's threshold alone
  int threads = 1;
  bool avx2 = false;
  // Work.
  std::vector<float> packed, rowBound;
  std::vector<Hits> hits;
  std::vector<napi_ref> refs;
  napi_deferred deferred = nullptr;
  napi_async_work work = nullptr;
};

void runQueries(const Block& b, int from, int to, Hits& out) {
  const int d = b.d;
  const int panels = (b.n + NR - 1) / NR;
  float scores[MR * NR];
  uint32_t masks[MR];
  const float* q[MR];
  std::vector<int32_t> rowsOf[MR];
  std::vector<float> scoresOf[MR];
  for (int first = from; first < to; first += MR) {
    const int mq = std::min(MR, to - first);
    // A short tile repeats its last query (its lanes are computed and ignored).
    for (int i = 0; i < MR; i++) q[i] = b.vectors + static_cast<size_t>(b.queries[first + std::min(i, mq - 1)]) * d;
    for (int i = 0; i < mq; i++) rowsOf[i].clear(), scoresOf[i].clear();
    for (int p = 0; p < panels; p++) {
      const float* panel = b.packed.data() + static_cast<size_t>(p) * d * NR;
      const float* rowBound = b.rowBound.data() + static_cast<size_t>(p) * NR;
#ifdef SYNOGRAPH_AVX2
      if (b.avx2) tileAvx2(q, mq, panel, d, b.thresholds + first, rowBound, scores, masks);
      else
#endif
        tileScalar(q, mq, panel, d, b.thresholds + first, rowBound, scores, masks);
      // The last panel's padding lanes (zero vectors) never pass, whatever the bounds.
      const uint32_t valid = p == panels - 1 && b.n % NR != 0 ? (1u << (b.n % NR)) - 1 : 0xffffu;
      for (int i = 0; i < mq; i++) {
        for (uint32_t mask = masks[i] & valid; mask != 0; mask &= mask - 1) {
          const int c = __builtin_ctz(mask);
          rowsOf[i].push_back(p * NR + c);
          scoresOf[i].push_back(scores[i * NR + c]);
        }
      }
    }
    for (int i = 0; i < mq; i++) {
      out.query.insert(out.query.end(), rowsOf[i].size(), first + i);
      out.row.insert(out.row.end(), rowsOf[i].begin(), rowsOf[i].end());
      out.score.insert(out.score.end(), scoresOf[i].begin(), scoresOf[i].end());
    }
  }
}

void execute(napi_env, void* data) {
  Block& b = *static_cast<Block*>(data);
  const int panels = (b.n + NR - 1) / NR;
  b.packed.resize(static_cast<size_t>(panels) * b.d * NR);
  packRows(b.vectors, b.d, b.rows, b.n, b.packed.data());
  b.rowBound.assign(static_cast<size_t>(panels) * NR, INFINITY);
  for (int r = 0; r < b.n; r++) b.rowBound[r] = b.rowThresholds ? b.rowThresholds[r] : INFINITY;
  const int tiles = (b.m + MR - 1) / MR;
  const int parts = std::max(1, std::min(b.threads, tiles));
  const int perPart = (tiles + parts - 1) / parts * MR;
  b.hits.assign(parts, Hits());
  std::vector<std::thread> helpers;
  for (int t = 1; t < parts; t++) {
    const int from = std::min(b.m, t * perPart), to = std::min(b.m, (t + 1) * perPart);
    helpers.emplace_back([&b, from, to, t] { runQueries(b, from, to, b.hits[t]); });
  }
  runQueries(b, 0, std::min(b.m, perPart), b.hits[0]);
  for (auto& h : helpers) h.join();
  b.packed = std::vector<float>();
}

void complete(napi_env env, napi_status status, void* data) {
  Block* b = static_cast<Block*>(data);
  size_t k = 0;
  for (const Hits& h : b->hits) k += h.query.size();
  void* bytes = nullptr;
  napi_value buffer, query, row, scores, result;
  napi_create_arraybuffer(env, k * 12, &bytes, &buffer);
  char* out = static_cast<char*>(bytes);
  size_t at = 0;
  for (const Hits& h : b->hits) std::memcpy(out + 4 * at, h.query.data(), h.query.size() * 4), at += h.query.size();
  for (const Hits& h : b->hits) std::memcpy(out + 4 * at, h.row.data(), h.row.size() * 4), at += h.row.size();
  for (const Hits& h : b->hits) std::memcpy(out + 4 * at, h.score.data(), h.score.size() * 4), at += h.score.size();
  napi_create_typedarray(env, napi_int32_array, k, buffer, 0, &query);
  napi_create_typedarray(env, napi_int32_array, k, buffer, k * 4, &row);
  napi_create_typedarray(env, napi_float32_array, k, buffer, k * 8, &scores);
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "query", query);
  napi_set_named_property(env, result, "row", row);
  napi_set_named_property(env, result, "scores", scores);
  if (status == napi_ok) {
    napi_resolve_deferred(env, b->deferred, result);
  } else {
    napi_value message, error;
    napi_create_string_utf8(env, "native block kernel failed", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, nullptr, message, &error);
    napi_reject_deferred(env, b->deferred, error);
  }
  for (napi_ref ref : b->refs) napi_delete_reference(env, ref);
  napi_delete_async_work(env, b->work);
  delete b;
}

napi_value fail(napi_env env, const char* message) {
  napi_throw_type_error(env, nullptr, message);
  return nullptr;
}

// A typed array of the given type: its data and length, held by a reference in `b`.
bool typedArray(napi_env env, napi_value value, napi_typedarray_type want, Block& b, void** data, size_t* length) {
  bool is = false;
  napi_is_typedarray(env, value, &is);
  if (!is) return false;
  napi_typedarray_type type;
  napi_value arrayBuffer;
  size_t offset;
  napi_get_typedarray_info(env, value, &type, length, data, &arrayBuffer, &offset);
  if (type != want) return false;
  napi_ref ref;
  napi_create_reference(env, value, 1, &ref);
  b.refs.push_back(ref);
  return true;
}

// block(vectors, d, queries, rows, thresholds, rowThresholds | undefined, threads, scalar?): Promise<{query, row, scores}>
// `scalar` true takes the portable tile even where AVX2 is there (the tests compare the two).
napi_value blockFn(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 7) return fail(env, "block: 7 arguments expected");
  Block* b = new Block();
  void* data;
  size_t vectorsLength, queries, rows, thresholds, rowThresholds = 0;
  bool ok = typedArray(env, argv[0], napi_float32_array, *b, &data, &vectorsLength);
  b->vectors = static_cast<const float*>(data);
  ok = ok && napi_get_value_int32(env, argv[1], &b->d) == napi_ok && b->d > 0;
  ok = ok && typedArray(env, argv[2], napi_int32_array, *b, &data, &queries);
  b->queries = static_cast<const int32_t*>(data);
  ok = ok && typedArray(env, argv[3], napi_int32_array, *b, &data, &rows);
  b->rows = static_cast<const int32_t*>(data);
  ok = ok && typedArray(env, argv[4], napi_float32_array, *b, &data, &thresholds) && thresholds == queries;
  b->thresholds = static_cast<const float*>(data);
  napi_valuetype type;
  napi_typeof(env, argv[5], &type);
  if (ok && type != napi_undefined && type != napi_null) {
    ok = typedArray(env, argv[5], napi_float32_array, *b, &data, &rowThresholds) && rowThresholds == rows;
    b->rowThresholds = static_cast<const float*>(data);
  }
  ok = ok && napi_get_value_int32(env, argv[6], &b->threads) == napi_ok;
  b->m = static_cast<int>(queries);
  b->n = static_cast<int>(rows);
  // Every row id inside the vectors: a bad id would read outside them.
  const size_t count = ok ? vectorsLength / static_cast<size_t>(b->d) : 0;
  for (int i = 0; ok && i < b->m; i++) ok = b->queries[i] >= 0 && static_cast<size_t>(b->queries[i]) < count;
  for (int i = 0; ok && i < b->n; i++) ok = b->rows[i] >= 0 && static_cast<size_t>(b->rows[i]) < count;
  if (!ok) {
    for (napi_ref ref : b->refs) napi_delete_reference(env, ref);
    delete b;
    return fail(env, "block(vectors: Float32Array, d, queries: Int32Array, rows: Int32Array, thresholds: Float32Array (one a query), rowThresholds?: Float32Array (one a row), threads): bad argument or row id");
  }
  bool scalar = false;
  if (argc > 7) napi_get_value_bool(env, argv[7], &scalar);
  b->avx2 = simd() && !scalar;
  napi_value promise, name;
  napi_create_promise(env, &b->deferred, &promise);
  napi_create_string_utf8(env, "synograph.block", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, nullptr, name, execute, complete, b, &b->work);
  napi_queue_async_work(env, b->work);
  return promise;
}

// simd(): whether the AVX2 tile is used (else the scalar one, with the same results).
napi_value simdFn(napi_env env, napi_callback_info) {
  napi_value result;
  napi_get_boolean(env, simd(), &result);
  return result;
}

}  // namespace

void registerBlock(napi_env env, napi_value exports) {
  exportFunction(env, exports, "block", blockFn);
  exportFunction(env, exports, "simd", simdFn);
}
