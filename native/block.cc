// The candidates stage's block kernel (src/candidates/native-kernel.ts): every (query, row) inner
// product strictly above the lower of its query's and its row's threshold, in query-major then row
// order, as the ONNX graph `blockBoth` of src/candidates/onnx-graph.ts returns them. When it offers
// the hits to a scan's lists itself (offering mode, both sides), a row's threshold counts only where
// the row does not scan the query's cell (markScannedHomes).
//
// Fused: a tile of 6 queries x 32 rows lives in registers (AVX-512, or AVX2 in two halves), is
// compared with its bounds there and only the passing scores leave, where ONNX Runtime writes the
// whole score matrix and passes over it three more times (Greater, NonZero, GatherND). At 928k
// terms of the 1M-line bench:e2e list the candidates scan took 39.1 s with this kernel and 119.5 s
// with ONNX Runtime, run after run on a quiet machine, with the same pairs (AVX2 tile with its
// accumulators spilled to memory, the first version: 55-66 s).
//
// Every score is one FMA chain over the dimensions in order (j = 0 .. d-1), whatever the path
// (AVX-512 or AVX2 lanes, the portable tile) or the thread count, so results never depend on either.
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
#include <functional>
#include <thread>
#include <vector>

#include "addon.h"
#include "top-lists.h"

namespace {

constexpr int MR = 6;   // queries per tile (tileAvx2 names its six rows)
constexpr int NR = 32;  // rows per panel: two 16-lane AVX-512 vectors, or two halves of two 8-lane AVX2 ones
constexpr int FIRST_GROUPS = 2;  // grouped top mode: a query's groups scored first (its queryGroups come best first)
// Grouped top mode: queries taken GROUPED_SPAN at a time through every group, so that their vectors
// stay in the core's cache while the groups pass, where a thread's whole range (32k rows, 16 MB)
// went through each group: at 4.4M rows (25.7k cells in 321 groups, 50 probes) the probe pass took
// 74.9 s instead of 103.6 s, and spans of 512 or 8,192 rows did alike (on 928k rows, 35k cells).
constexpr int GROUPED_SPAN = 2048;

// The rows' vectors (rows[i] of `vectors`, or row i when `rows` is null) in panels of NR rows,
// dimension-major within a panel (a panel's dimension j is NR consecutive floats), zero-padded to a
// whole panel.
void packRows(const float* vectors, int d, const int32_t* rows, int n, float* out) {
  const int panels = (n + NR - 1) / NR;
  for (int p = 0; p < panels; p++) {
    float* dst = out + static_cast<size_t>(p) * d * NR;
    for (int i = 0; i < NR; i++) {
      const int at = p * NR + i;
      if (at < n) {
        const float* src = vectors + static_cast<size_t>(rows ? rows[at] : at) * d;
        for (int j = 0; j < d; j++) dst[j * NR + i] = src[j];
      } else {
        for (int j = 0; j < d; j++) dst[j * NR + i] = 0.f;
      }
    }
  }
}

#ifdef SYNOGRAPH_AVX2
// Half a panel (16 of its 32 rows, at `panel` and `rowBound`): scores of mq (<= MR) queries; masks[i]
// gets bit c when row c's score passes the query's bound, rowMasks[i] when it passes the row's.
// Scores are written at scores[i * NR + c].
__attribute__((target("avx2,fma"))) void halfTileAvx2(const float* const* q, int mq, const float* panel, int d, const float* queryBound, const float* rowBound, float* scores, uint32_t* masks, uint32_t* rowMasks) {
  // Twelve named accumulators: as an array (acc[6][2]) GCC kept them in memory and stored all 12 at
  // every dimension, 181 M scores/s a thread on a 4,096 x 192 block; named, 346 M.
  __m256 a00 = _mm256_setzero_ps(), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00;
  const float *q0 = q[0], *q1 = q[1], *q2 = q[2], *q3 = q[3], *q4 = q[4], *q5 = q[5];
  for (int j = 0; j < d; j++) {
    const __m256 x0 = _mm256_loadu_ps(panel + j * NR);
    const __m256 x1 = _mm256_loadu_ps(panel + j * NR + 8);
    __m256 b = _mm256_broadcast_ss(q0 + j);
    a00 = _mm256_fmadd_ps(b, x0, a00), a01 = _mm256_fmadd_ps(b, x1, a01);
    b = _mm256_broadcast_ss(q1 + j);
    a10 = _mm256_fmadd_ps(b, x0, a10), a11 = _mm256_fmadd_ps(b, x1, a11);
    b = _mm256_broadcast_ss(q2 + j);
    a20 = _mm256_fmadd_ps(b, x0, a20), a21 = _mm256_fmadd_ps(b, x1, a21);
    b = _mm256_broadcast_ss(q3 + j);
    a30 = _mm256_fmadd_ps(b, x0, a30), a31 = _mm256_fmadd_ps(b, x1, a31);
    b = _mm256_broadcast_ss(q4 + j);
    a40 = _mm256_fmadd_ps(b, x0, a40), a41 = _mm256_fmadd_ps(b, x1, a41);
    b = _mm256_broadcast_ss(q5 + j);
    a50 = _mm256_fmadd_ps(b, x0, a50), a51 = _mm256_fmadd_ps(b, x1, a51);
  }
  const __m256 acc[MR][2] = {{a00, a01}, {a10, a11}, {a20, a21}, {a30, a31}, {a40, a41}, {a50, a51}};
  const __m256 r0 = _mm256_loadu_ps(rowBound);
  const __m256 r1 = _mm256_loadu_ps(rowBound + 8);
  for (int i = 0; i < mq; i++) {
    const __m256 t = _mm256_broadcast_ss(queryBound + i);
    const uint32_t m0 = static_cast<uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(acc[i][0], t, _CMP_GT_OQ)));
    const uint32_t m1 = static_cast<uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(acc[i][1], t, _CMP_GT_OQ)));
    const uint32_t r0m = static_cast<uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(acc[i][0], r0, _CMP_GT_OQ)));
    const uint32_t r1m = static_cast<uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(acc[i][1], r1, _CMP_GT_OQ)));
    masks[i] = m0 | (m1 << 8);
    rowMasks[i] = r0m | (r1m << 8);
    if ((masks[i] | rowMasks[i]) != 0) {
      _mm256_storeu_ps(scores + i * NR, acc[i][0]);
      _mm256_storeu_ps(scores + i * NR + 8, acc[i][1]);
    }
  }
}

void tileAvx2(const float* const* q, int mq, const float* panel, int d, const float* queryBound, const float* rowBound, float* scores, uint32_t* masks, uint32_t* rowMasks) {
  uint32_t high[MR], rowHigh[MR];
  halfTileAvx2(q, mq, panel, d, queryBound, rowBound, scores, masks, rowMasks);
  halfTileAvx2(q, mq, panel + 16, d, queryBound, rowBound + 16, scores + 16, high, rowHigh);
  for (int i = 0; i < mq; i++) masks[i] |= high[i] << 16, rowMasks[i] |= rowHigh[i] << 16;
}

// A whole panel in 16-lane vectors: twice the AVX2 tile's rate where the CPU has AVX-512 (measured
// on this machine's EPYC, a bare 6-query tile: 397 M scores/s a thread with AVX2, 786 M).
__attribute__((target("avx512f"))) void tileAvx512(const float* const* q, int mq, const float* panel, int d, const float* queryBound, const float* rowBound, float* scores, uint32_t* masks, uint32_t* rowMasks) {
  __m512 a00 = _mm512_setzero_ps(), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00;
  const float *q0 = q[0], *q1 = q[1], *q2 = q[2], *q3 = q[3], *q4 = q[4], *q5 = q[5];
  for (int j = 0; j < d; j++) {
    const __m512 x0 = _mm512_loadu_ps(panel + j * NR);
    const __m512 x1 = _mm512_loadu_ps(panel + j * NR + 16);
    __m512 b = _mm512_set1_ps(q0[j]);
    a00 = _mm512_fmadd_ps(b, x0, a00), a01 = _mm512_fmadd_ps(b, x1, a01);
    b = _mm512_set1_ps(q1[j]);
    a10 = _mm512_fmadd_ps(b, x0, a10), a11 = _mm512_fmadd_ps(b, x1, a11);
    b = _mm512_set1_ps(q2[j]);
    a20 = _mm512_fmadd_ps(b, x0, a20), a21 = _mm512_fmadd_ps(b, x1, a21);
    b = _mm512_set1_ps(q3[j]);
    a30 = _mm512_fmadd_ps(b, x0, a30), a31 = _mm512_fmadd_ps(b, x1, a31);
    b = _mm512_set1_ps(q4[j]);
    a40 = _mm512_fmadd_ps(b, x0, a40), a41 = _mm512_fmadd_ps(b, x1, a41);
    b = _mm512_set1_ps(q5[j]);
    a50 = _mm512_fmadd_ps(b, x0, a50), a51 = _mm512_fmadd_ps(b, x1, a51);
  }
  const __m512 acc[MR][2] = {{a00, a01}, {a10, a11}, {a20, a21}, {a30, a31}, {a40, a41}, {a50, a51}};
  const __m512 r0 = _mm512_loadu_ps(rowBound);
  const __m512 r1 = _mm512_loadu_ps(rowBound + 16);
  for (int i = 0; i < mq; i++) {
    const __m512 t = _mm512_set1_ps(queryBound[i]);
    masks[i] = _mm512_cmp_ps_mask(acc[i][0], t, _CMP_GT_OQ) | static_cast<uint32_t>(_mm512_cmp_ps_mask(acc[i][1], t, _CMP_GT_OQ)) << 16;
    rowMasks[i] = _mm512_cmp_ps_mask(acc[i][0], r0, _CMP_GT_OQ) | static_cast<uint32_t>(_mm512_cmp_ps_mask(acc[i][1], r1, _CMP_GT_OQ)) << 16;
    if ((masks[i] | rowMasks[i]) != 0) {
      _mm512_storeu_ps(scores + i * NR, acc[i][0]);
      _mm512_storeu_ps(scores + i * NR + 16, acc[i][1]);
    }
  }
}
#endif

void tileScalar(const float* const* q, int mq, const float* panel, int d, const float* queryBound, const float* rowBound, float* scores, uint32_t* masks, uint32_t* rowMasks) {
  for (int i = 0; i < mq; i++) {
    uint32_t m = 0, r = 0;
    for (int c = 0; c < NR; c++) {
      float a = 0.f;
      for (int j = 0; j < d; j++) a = std::fma(q[i][j], panel[j * NR + c], a);
      scores[i * NR + c] = a;
      if (a > queryBound[i]) m |= 1u << c;
      if (a > rowBound[c]) r |= 1u << c;
    }
    masks[i] = m;
    rowMasks[i] = r;
  }
}

// The widest tile this CPU runs: 2 = AVX-512, 1 = AVX2 with FMA, 0 = the portable one.
int simd() {
#ifdef SYNOGRAPH_AVX2
  if (__builtin_cpu_supports("avx512f")) return 2;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
#endif
  return 0;
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
  int simd = 0;
  // Top mode (k > 0): each query's k best of `candidates` (n x d, contiguous), queries from
  // `queryVectors` (m x d) when given; no thresholds.
  int k = 0;
  const float* candidates = nullptr;
  const float* queryVectors = nullptr;
  // Grouped top mode (groups > 0, with k): each query's k best of the candidates in its `perQuery`
  // groups (queryGroups, m x perQuery); group g's candidates are groupMembers[groupOffsets[g] ..
  // groupOffsets[g + 1]).
  int groups = 0;
  int perQuery = 0;
  const int32_t* groupOffsets = nullptr;
  const int32_t* groupMembers = nullptr;
  const int32_t* queryGroups = nullptr;
  std::vector<int32_t> panelStart, listOffsets, lists;
  // Work.
  std::vector<float> packed, rowBound;
  std::vector<Hits> hits;
  std::vector<int32_t> topIndex;
  std::vector<float> topScore;
  // Offering mode (block mode with `offer`): the hits go to the scan's lists here, off the JS
  // thread, and only those the lists leave to the caller come back.
  bool offering = false;
  ScanLists scan;
  // With both sides: each query's home cell (its first probe) as an index into the block's distinct
  // home cells, and for each of those, a bit a row (panels words) for the rows that scan it.
  std::vector<int32_t> homeOf;
  std::vector<uint32_t> scansHome;
  size_t found = 0;  // the hits the kernel found, before the offers
  // Records mode (offerRecords): waiting offers, recordCount records of three words, go to `scan`'s
  // lists; there is no block to score and no hit comes back.
  const uint32_t* records = nullptr;
  size_t recordCount = 0;
  std::vector<napi_ref> refs;
  napi_deferred deferred = nullptr;
  napi_async_work work = nullptr;
};

void tile(const Block& b, const float* const* q, int mq, int p, const float* queryBound, float* scores, uint32_t* masks, uint32_t* rowMasks) {
  const float* panel = b.packed.data() + static_cast<size_t>(p) * b.d * NR;
  const float* rowBound = b.rowBound.data() + static_cast<size_t>(p) * NR;
#ifdef SYNOGRAPH_AVX2
  if (b.simd == 2) return tileAvx512(q, mq, panel, b.d, queryBound, rowBound, scores, masks, rowMasks);
  if (b.simd == 1) return tileAvx2(q, mq, panel, b.d, queryBound, rowBound, scores, masks, rowMasks);
#endif
  tileScalar(q, mq, panel, b.d, queryBound, rowBound, scores, masks, rowMasks);
}

// The last panel's padding lanes (zero vectors) never pass, whatever the bounds.
uint32_t validLanes(int n, int p, int panels) { return p == panels - 1 && n % NR != 0 ? (1u << (n % NR)) - 1 : ~0u; }

// Query `at`'s vector: a row of `queryVectors`, or the row of `vectors` that queries[at] names.
const float* queryRow(const Block& b, int at) { return b.queryVectors ? b.queryVectors + static_cast<size_t>(at) * b.d : b.vectors + static_cast<size_t>(b.queries[at]) * b.d; }

// The query rows of a tile; a short tile repeats its last query (its lanes are computed and ignored).
void tileQueries(const Block& b, int first, int mq, const float** q) {
  for (int i = 0; i < MR; i++) q[i] = queryRow(b, first + std::min(i, mq - 1));
}

// A candidate as one integer in ONNX TopK's order, the better the larger: a higher score, and of
// equal scores the lower index. The score's bits made monotonic (a sign flips them; -0 counts as
// +0, equal to it), then the index reversed.
inline uint64_t keyOf(float score, int32_t index) {
  if (score == 0.f) score = 0.f;
  uint32_t bits;
  std::memcpy(&bits, &score, 4);
  bits = bits & 0x80000000u ? ~bits : bits | 0x80000000u;
  return static_cast<uint64_t>(bits) << 32 | (0xFFFFFFFFu - static_cast<uint32_t>(index));
}
inline float scoreOf(uint64_t key) {
  uint32_t bits = static_cast<uint32_t>(key >> 32);
  bits = bits & 0x80000000u ? bits & 0x7FFFFFFFu : ~bits;
  float score;
  std::memcpy(&score, &bits, 4);
  return score;
}
inline int32_t indexOf(uint64_t key) { return static_cast<int32_t>(0xFFFFFFFFu - static_cast<uint32_t>(key)); }

// Moves the k largest of a[0 .. n) (distinct) to a[0 .. k), the least of them to a[k - 1]: a
// quickselect whose partition moves every element without a branch on it (Lomuto's scheme, the
// side chosen by arithmetic). std::nth_element's partition branches on each comparison, which on
// these near-random keys mispredicts about half the time: it was most of the top mode's own time.
void selectLargest(uint64_t* a, int n, int k) {
  int lo = 0, hi = n;
  while (hi - lo > 1) {
    const int mid = lo + (hi - lo) / 2;
    // The median of three, to hi - 1, as the pivot.
    if (a[mid] > a[hi - 1]) std::swap(a[mid], a[hi - 1]);
    if (a[lo] > a[hi - 1]) std::swap(a[lo], a[hi - 1]);
    if (a[lo] > a[mid]) std::swap(a[lo], a[mid]);
    std::swap(a[mid], a[hi - 1]);
    const uint64_t pivot = a[hi - 1];
    int store = lo;
    for (int i = lo; i < hi - 1; i++) {
      const uint64_t v = a[i];
      a[i] = a[store];
      a[store] = v;
      store += v > pivot;
    }
    std::swap(a[store], a[hi - 1]);
    if (store == k - 1) return;
    if (store > k - 1) hi = store;
    else lo = store + 1;
  }
}

// Each query's k best so far: candidates that beat its bound are appended to a buffer of 2k, and a
// full buffer is cut to its k best, whose worst becomes the bound. It replaced a min-heap a query,
// whose sift-downs (a branch a level) took as many samples as the tile's scoring in the probe pass
// at 928k rows (k = 33 of 5,177 cells); buffered, that pass took 8.0-8.2 s instead of 8.9-9.1 s.
// The cut was still nearly half of it (the pass alone, 928k rows against 5,177 cells: 8.0 s, and
// 4.4-4.5 s with the tile's passing scores left unoffered); as keys (keyOf) cut by selectLargest,
// 6.25-6.65 s, with the same lists, and the candidates stage's probe step took 9.1 s instead of 11.0.
// The k best by keyOf's order are unique, so the result is the heap's.
struct TopBuffers {
  int k;
  std::vector<uint64_t> items;  // query q's at q * 2k
  std::vector<int> length;
  std::vector<uint64_t> cut;  // query q's k-th best once cut (0, below every key, before)
  TopBuffers(int queries, int k) : k(k), items(static_cast<size_t>(queries) * 2 * k), length(queries, 0), cut(queries, 0) {}
  float bound(int q) const { return cut[q] == 0 ? -INFINITY : scoreOf(cut[q]); }
  void clear() {
    std::fill(length.begin(), length.end(), 0);
    std::fill(cut.begin(), cut.end(), 0);
  }
  void offer(int q, float score, int32_t index) {
    const uint64_t key = keyOf(score, index);
    if (key <= cut[q]) return;
    uint64_t* at = items.data() + static_cast<size_t>(q) * 2 * k;
    at[length[q]++] = key;
    if (length[q] < 2 * k) return;
    selectLargest(at, 2 * k, k);
    cut[q] = at[k - 1];
    length[q] = k;
  }
  // Query q's k best, best first, into s and x; an unfilled tail gets index -1 and score -Infinity.
  void sorted(int q, float* s, int32_t* x) {
    uint64_t* at = items.data() + static_cast<size_t>(q) * 2 * k;
    const int n = std::min(length[q], k);
    if (length[q] > k) selectLargest(at, length[q], k);
    std::sort(at, at + n, std::greater<uint64_t>());
    for (int j = 0; j < n; j++) s[j] = scoreOf(at[j]), x[j] = indexOf(at[j]);
    for (int j = n; j < k; j++) s[j] = -INFINITY, x[j] = -1;
  }
};

// Top mode: queries from .. to - 1, each with its k best so far (TopBuffers), whose k-th is the
// tile's bound once cut: candidates come in ascending index, so a later equal score loses its tie
// and strictly-above is exact.
void runTop(Block& b, int from, int to) {
  const int k = b.k;
  const int panels = (b.n + NR - 1) / NR;
  float scores[MR * NR];
  uint32_t masks[MR], rowMasks[MR];  // top modes have no row bounds (+Infinity): rowMasks stay empty
  float bound[MR];
  const float* q[MR];
  TopBuffers best(MR, k);
  for (int first = from; first < to; first += MR) {
    const int mq = std::min(MR, to - first);
    tileQueries(b, first, mq, q);
    best.clear();
    for (int p = 0; p < panels; p++) {
      for (int i = 0; i < mq; i++) bound[i] = best.bound(i);
      tile(b, q, mq, p, bound, scores, masks, rowMasks);
      const uint32_t valid = validLanes(b.n, p, panels);
      for (int i = 0; i < mq; i++) {
        for (uint32_t mask = masks[i] & valid; mask != 0; mask &= mask - 1) {
          const int c = __builtin_ctz(mask);
          best.offer(i, scores[i * NR + c], p * NR + c);
        }
      }
    }
    for (int i = 0; i < mq; i++) best.sorted(i, b.topScore.data() + static_cast<size_t>(first + i) * k, b.topIndex.data() + static_cast<size_t>(first + i) * k);
  }
}

// Grouped top mode, queries from .. to - 1, GROUPED_SPAN of them at a time: group by group, the
// group's queries of the span (its list ascends) in tiles against the group's panels, first for
// the queries whose FIRST_GROUPS nearest it is, then for the rest: so a query's list fills with
// good scores before most of its candidates come, whose bound then stops them in the tile.
// Candidates arrive in no index order, so the bound lets an equal score through to the list,
// whose order settles the tie.
void runGroupedTop(Block& b, int from, int to) {
  const int k = b.k;
  float scores[MR * NR];
  uint32_t masks[MR], rowMasks[MR];  // top modes have no row bounds (+Infinity): rowMasks stay empty
  float bound[MR];
  const float* q[MR];
  TopBuffers best(to - from, k);
  for (int sub = from; sub < to; sub += GROUPED_SPAN) {
    for (int l = 0; l < 2 * b.groups; l++) {
      const int g = l % b.groups;
      const int32_t* first = b.lists.data() + b.listOffsets[l];
      const int32_t* last = b.lists.data() + b.listOffsets[l + 1];
      const int32_t* lo = std::lower_bound(first, last, sub);
      const int32_t* hi = std::lower_bound(lo, last, std::min(to, sub + GROUPED_SPAN));
      const int size = b.groupOffsets[g + 1] - b.groupOffsets[g];
      const int panels = (size + NR - 1) / NR;
      const int32_t* members = b.groupMembers + b.groupOffsets[g];
      for (const int32_t* at = lo; at < hi; at += MR) {
        const int mq = static_cast<int>(std::min<ptrdiff_t>(MR, hi - at));
        for (int i = 0; i < MR; i++) q[i] = queryRow(b, at[std::min(i, mq - 1)]);
        for (int p = 0; p < panels; p++) {
          for (int i = 0; i < mq; i++) bound[i] = std::nextafter(best.bound(at[i] - from), -INFINITY);
          tile(b, q, mq, b.panelStart[g] + p, bound, scores, masks, rowMasks);
          const uint32_t valid = validLanes(size, p, panels);
          for (int i = 0; i < mq; i++) {
            for (uint32_t mask = masks[i] & valid; mask != 0; mask &= mask - 1) {
              const int c = __builtin_ctz(mask);
              best.offer(at[i] - from, scores[i * NR + c], members[p * NR + c]);
            }
          }
        }
      }
    }
  }
  for (int query = from; query < to; query++) best.sorted(query - from, b.topScore.data() + static_cast<size_t>(query) * k, b.topIndex.data() + static_cast<size_t>(query) * k);
}

void runQueries(const Block& b, int from, int to, Hits& out) {
  const int panels = (b.n + NR - 1) / NR;
  float scores[MR * NR];
  uint32_t masks[MR], rowMasks[MR];
  const float* q[MR];
  std::vector<int32_t> rowsOf[MR];
  std::vector<float> scoresOf[MR];
  for (int first = from; first < to; first += MR) {
    const int mq = std::min(MR, to - first);
    tileQueries(b, first, mq, q);
    for (int i = 0; i < mq; i++) rowsOf[i].clear(), scoresOf[i].clear();
    for (int p = 0; p < panels; p++) {
      tile(b, q, mq, p, b.thresholds + first, scores, masks, rowMasks);
      const uint32_t valid = validLanes(b.n, p, panels);
      for (int i = 0; i < mq; i++) {
        // A row's bound lets a score through only where the row would be offered it.
        const uint32_t rowSide = b.scansHome.empty() ? rowMasks[i] : rowMasks[i] & ~b.scansHome[static_cast<size_t>(b.homeOf[first + i]) * panels + p];
        for (uint32_t mask = (masks[i] | rowSide) & valid; mask != 0; mask &= mask - 1) {
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

// Grouped top mode: each group's candidates packed into its own panels, each group's queries listed
// (ascending), and the queries split over the threads by range (a heap is one thread's).
void executeGrouped(Block& b) {
  b.panelStart.assign(b.groups + 1, 0);
  for (int g = 0; g < b.groups; g++) b.panelStart[g + 1] = b.panelStart[g] + (b.groupOffsets[g + 1] - b.groupOffsets[g] + NR - 1) / NR;
  b.packed.resize(static_cast<size_t>(b.panelStart[b.groups]) * b.d * NR);
  for (int g = 0; g < b.groups; g++) packRows(b.candidates, b.d, b.groupMembers + b.groupOffsets[g], b.groupOffsets[g + 1] - b.groupOffsets[g], b.packed.data() + static_cast<size_t>(b.panelStart[g]) * b.d * NR);
  b.rowBound.assign(static_cast<size_t>(b.panelStart[b.groups]) * NR, INFINITY);
  // Lists 0 .. groups - 1: a group's queries for which it is among their FIRST_GROUPS; then the rest.
  const int lists = 2 * b.groups;
  const size_t entries = static_cast<size_t>(b.m) * b.perQuery;
  auto listOf = [&b](size_t e) { return b.queryGroups[e] + (static_cast<int>(e % b.perQuery) < FIRST_GROUPS ? 0 : b.groups); };
  b.listOffsets.assign(lists + 1, 0);
  for (size_t e = 0; e < entries; e++) b.listOffsets[listOf(e) + 1]++;
  for (int l = 0; l < lists; l++) b.listOffsets[l + 1] += b.listOffsets[l];
  b.lists.resize(entries);
  std::vector<int32_t> cursor(b.listOffsets.begin(), b.listOffsets.end() - 1);
  for (size_t e = 0; e < entries; e++) b.lists[cursor[listOf(e)]++] = static_cast<int32_t>(e / b.perQuery);
  b.topIndex.assign(static_cast<size_t>(b.m) * b.k, 0), b.topScore.assign(static_cast<size_t>(b.m) * b.k, 0.f);
  const int parts = std::max(1, std::min(b.threads, b.m));
  std::vector<std::thread> helpers;
  for (int t = 1; t < parts; t++) helpers.emplace_back(runGroupedTop, std::ref(b), static_cast<int>(static_cast<int64_t>(b.m) * t / parts), static_cast<int>(static_cast<int64_t>(b.m) * (t + 1) / parts));
  runGroupedTop(b, 0, static_cast<int>(b.m / parts));
  for (auto& h : helpers) h.join();
  b.packed = std::vector<float>();
  b.lists = std::vector<int32_t>();
}

// Offering mode: the hits offered as hitsResult would return them (top-lists.cc); those the lists
// leave to the caller replace them, in that order.
void offerAll(Block& b) {
  std::vector<HitPart> parts;
  for (const Hits& h : b.hits) {
    b.found += h.query.size();
    parts.push_back({h.query.data(), h.row.data(), h.score.data(), h.query.size()});
  }
  std::vector<std::pair<size_t, size_t>> outside;
  const ScannedHomes scanned{b.homeOf.data(), b.scansHome.data(), static_cast<size_t>((b.n + NR - 1) / NR)};
  offerHits(b.scan, b.queries, b.rows, b.n, scanned, parts, outside);
  Hits left;
  for (const auto& [part, i] : outside) {
    const Hits& h = b.hits[part];
    left.query.push_back(h.query[i]), left.row.push_back(h.row[i]), left.score.push_back(h.score[i]);
  }
  b.hits.assign(1, std::move(left));
}

// Both sides: which of the block's rows scan each query's home cell. Such a row scores the pair
// itself, so it is not offered the query's score (top-lists.cc), and its bound must not let the
// score out of the tile either. Without this, at 928k rows 87% of the hits were refused on the row's
// side for that reason, and half went to neither list; with it, at 4.4M rows the kernel let out
// 2.95G scores instead of 4.56G and the scan took 291 s instead of 371 s, with the same pairs.
void markScannedHomes(Block& b) {
  const ScanLists& l = b.scan;
  int bits = 4;
  while ((1 << bits) < 2 * b.m) bits++;
  const uint32_t mask = (1u << bits) - 1;
  std::vector<int32_t> cells(size_t{1} << bits, -1), index(size_t{1} << bits, -1);
  const auto slot = [bits](int32_t cell) { return static_cast<uint32_t>((static_cast<uint64_t>(static_cast<uint32_t>(cell)) * 0x9E3779B97F4A7C15ull) >> (64 - bits)); };
  int homes = 0;
  b.homeOf.resize(b.m);
  for (int i = 0; i < b.m; i++) {
    const int32_t cell = l.probeList[static_cast<size_t>(b.queries[i]) * l.probes];
    uint32_t s = slot(cell);
    while (cells[s] != -1 && cells[s] != cell) s = (s + 1) & mask;
    if (cells[s] == -1) cells[s] = cell, index[s] = homes++;
    b.homeOf[i] = index[s];
  }
  const int panels = (b.n + NR - 1) / NR;
  b.scansHome.assign(static_cast<size_t>(homes) * panels, 0);
  for (int r = 0; r < b.n; r++) {
    const int32_t* probes = l.probeList + static_cast<size_t>(b.rows[r]) * l.probes;
    for (int j = 0; j < l.probes; j++) {
      for (uint32_t s = slot(probes[j]); cells[s] != -1; s = (s + 1) & mask) {
        if (cells[s] != probes[j]) continue;
        b.scansHome[static_cast<size_t>(index[s]) * panels + r / NR] |= 1u << (r % NR);
        break;
      }
    }
  }
}

void execute(napi_env, void* data) {
  Block& b = *static_cast<Block*>(data);
  if (b.records != nullptr) return offerRecords(b.scan, b.records, b.recordCount);
  if (b.groups > 0) return executeGrouped(b);
  const int panels = (b.n + NR - 1) / NR;
  b.packed.resize(static_cast<size_t>(panels) * b.d * NR);
  if (b.k > 0) packRows(b.candidates, b.d, nullptr, b.n, b.packed.data());
  else packRows(b.vectors, b.d, b.rows, b.n, b.packed.data());
  b.rowBound.assign(static_cast<size_t>(panels) * NR, INFINITY);
  for (int r = 0; r < b.n && b.rowThresholds; r++) b.rowBound[r] = b.rowThresholds[r];
  if (b.k > 0) b.topIndex.assign(static_cast<size_t>(b.m) * b.k, 0), b.topScore.assign(static_cast<size_t>(b.m) * b.k, 0.f);
  if (b.offering && b.scan.bothSides) markScannedHomes(b);
  const int tiles = (b.m + MR - 1) / MR;
  const int parts = std::max(1, std::min(b.threads, tiles));
  const int perPart = (tiles + parts - 1) / parts * MR;
  b.hits.assign(parts, Hits());
  auto run = [&b](int from, int to, int part) {
    if (b.k > 0) runTop(b, from, to);
    else runQueries(b, from, to, b.hits[part]);
  };
  std::vector<std::thread> helpers;
  for (int t = 1; t < parts; t++) helpers.emplace_back(run, std::min(b.m, t * perPart), std::min(b.m, (t + 1) * perPart), t);
  run(0, std::min(b.m, perPart), 0);
  for (auto& h : helpers) h.join();
  b.packed = std::vector<float>();
  if (b.offering) offerAll(b);
}

// A typed array of the given type: its data and length, held by a reference in `b`.
bool typedArray(napi_env env, napi_value value, napi_typedarray_type want, Block& b, void** data, size_t* length) {
  if (!typed(env, value, want, data, length)) return false;
  napi_ref ref;
  napi_create_reference(env, value, 1, &ref);
  b.refs.push_back(ref);
  return true;
}

// The arguments every mode opens with, (vectors: Float32Array, d, queries: Int32Array), into `b`:
// their lengths in *vectorsLength and *queries; false for a bad one.
bool vectorsAndQueries(napi_env env, const napi_value* argv, Block& b, size_t* vectorsLength, size_t* queries) {
  void* data = nullptr;
  bool ok = typedArray(env, argv[0], napi_float32_array, b, &data, vectorsLength);
  b.vectors = static_cast<const float*>(data);
  ok = ok && napi_get_value_int32(env, argv[1], &b.d) == napi_ok && b.d > 0;
  ok = ok && typedArray(env, argv[2], napi_int32_array, b, &data, queries);
  b.queries = static_cast<const int32_t*>(data);
  return ok;
}

// Every id in 0 .. count - 1: a bad id would read outside the vectors.
bool idsWithin(const int32_t* ids, int n, size_t count) {
  for (int i = 0; i < n; i++)
    if (ids[i] < 0 || static_cast<size_t>(ids[i]) >= count) return false;
  return true;
}

// Lets go of `b` and the arrays it held.
void release(napi_env env, Block* b) {
  for (napi_ref ref : b->refs) napi_delete_reference(env, ref);
  delete b;
}

// Throws `message` for a call whose arguments `b` was reading.
napi_value refuse(napi_env env, Block* b, const char* message) {
  release(env, b);
  return fail(env, message);
}

// Top mode's result: { indices: Int32Array, scores: Float32Array }, m x k row-major, best first.
napi_value topResult(napi_env env, const Block& b) {
  void* bytes = nullptr;
  napi_value indexBuffer, scoreBuffer, indices, scores, result;
  const size_t count = b.topIndex.size();
  napi_create_arraybuffer(env, count * 4, &bytes, &indexBuffer);
  std::memcpy(bytes, b.topIndex.data(), count * 4);
  napi_create_arraybuffer(env, count * 4, &bytes, &scoreBuffer);
  std::memcpy(bytes, b.topScore.data(), count * 4);
  napi_create_typedarray(env, napi_int32_array, count, indexBuffer, 0, &indices);
  napi_create_typedarray(env, napi_float32_array, count, scoreBuffer, 0, &scores);
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "indices", indices);
  napi_set_named_property(env, result, "scores", scores);
  return result;
}

// Block mode's result: { query, row, scores }, views of one buffer.
napi_value hitsResult(napi_env env, const Block* b) {
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
  if (b->offering) napi_set_named_property(env, result, "found", number(env, static_cast<double>(b->found)));
  return result;
}

void complete(napi_env env, napi_status status, void* data) {
  Block* b = static_cast<Block*>(data);
  if (status == napi_ok) {
    napi_resolve_deferred(env, b->deferred, b->k > 0 ? topResult(env, *b) : hitsResult(env, b));
  } else {
    napi_value message, error;
    napi_create_string_utf8(env, "native block kernel failed", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, nullptr, message, &error);
    napi_reject_deferred(env, b->deferred, error);
  }
  napi_delete_async_work(env, b->work);
  release(env, b);
}

// Runs `b` off the JS thread; `widest` (or null) caps the tile. Returns the promise of its result.
napi_value queue(napi_env env, Block* b, napi_value widestArg) {
  int32_t widest = 2;
  if (widestArg != nullptr) napi_get_value_int32(env, widestArg, &widest);
  b->simd = std::min(simd(), static_cast<int>(widest));
  napi_value promise, name;
  napi_create_promise(env, &b->deferred, &promise);
  napi_create_string_utf8(env, "synograph.block", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, nullptr, name, execute, complete, b, &b->work);
  napi_queue_async_work(env, b->work);
  return promise;
}

// A number or boolean property of `object`; false when it is missing or of another type.
bool numberProperty(napi_env env, napi_value object, const char* name, double* out) {
  napi_value v;
  return napi_get_named_property(env, object, name, &v) == napi_ok && napi_get_value_double(env, v, out) == napi_ok;
}
bool boolProperty(napi_env env, napi_value object, const char* name, bool* out) {
  napi_value v;
  return napi_get_named_property(env, object, name, &v) == napi_ok && napi_get_value_bool(env, v, out) == napi_ok;
}

// The offer argument { scores, rows, lengths, k, lo, hi, floor, bothSides, probeList, probes, across }
// (a pass's TopLists and ivf.ts's rules) into b.scan; a message when it is unusable.
const char* scanListsOf(napi_env env, napi_value offer, Block& b) {
  ScanLists& l = b.scan;
  size_t listLength = 0, rowLength = 0, lengths = 0;
  double k = 0, lo = 0, hi = 0, probes = 0;
  bool ok = heldProperty(env, offer, "scores", napi_float32_array, &l.s, &listLength, b.refs) &&
            heldProperty(env, offer, "rows", napi_int32_array, &l.r, &rowLength, b.refs) && rowLength == listLength &&
            heldProperty(env, offer, "lengths", napi_int32_array, &l.n, &lengths, b.refs) &&
            heldProperty(env, offer, "probeList", napi_int32_array, &l.probeList, &l.probeLength, b.refs);
  ok = ok && numberProperty(env, offer, "k", &k) && numberProperty(env, offer, "lo", &lo) && numberProperty(env, offer, "hi", &hi) &&
       numberProperty(env, offer, "floor", &l.floor) && numberProperty(env, offer, "probes", &probes) && boolProperty(env, offer, "bothSides", &l.bothSides) &&
       boolProperty(env, offer, "across", &l.across);
  const auto whole = [](double x) { return x >= 0 && x <= 2147483647 && x == std::floor(x); };
  ok = ok && whole(k) && whole(lo) && whole(hi) && whole(probes);
  if (!ok) return "block: offer must be { scores: Float32Array, rows, lengths, probeList: Int32Array, k, lo, hi, floor, probes, bothSides, across }";
  l.k = static_cast<int>(k), l.lo = static_cast<int32_t>(lo), l.hi = static_cast<int32_t>(hi), l.probes = static_cast<int32_t>(probes);
  const char* problem = scanListsProblem(l, listLength, lengths, b.queries, b.m, b.rows, b.n);
  if (problem != nullptr) return problem;
  b.offering = true;
  return nullptr;
}

// block(vectors, d, queries, rows, thresholds, rowThresholds | undefined, threads, widest?, offer?): Promise<{query, row, scores}>
// With `offer`, the hits are offered to its lists off the JS thread and only those left to the
// caller (rows outside the pass, with `across`) come back.
// `widest` caps the tile (2 AVX-512, 1 AVX2, 0 portable) below what the CPU runs: the tests compare them.
napi_value blockFn(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 7) return fail(env, "block: 7 arguments expected");
  Block* b = new Block();
  void* data = nullptr;
  size_t vectorsLength, queries, rows, thresholds, rowThresholds = 0;
  bool ok = vectorsAndQueries(env, argv, *b, &vectorsLength, &queries);
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
  const size_t count = ok ? vectorsLength / static_cast<size_t>(b->d) : 0;
  ok = ok && idsWithin(b->queries, b->m, count) && idsWithin(b->rows, b->n, count);
  if (!ok) return refuse(env, b, "block(vectors: Float32Array, d, queries: Int32Array, rows: Int32Array, thresholds: Float32Array (one a query), rowThresholds?: Float32Array (one a row), threads): bad argument or row id");
  if (argc > 8) {
    napi_typeof(env, argv[8], &type);
    if (type != napi_undefined && type != napi_null) {
      const char* problem = scanListsOf(env, argv[8], *b);
      if (problem != nullptr) return refuse(env, b, problem);
    }
  }
  return queue(env, b, argc > 7 ? argv[7] : nullptr);
}

// offerRecords(words: Uint32Array, count, offer): Promise<{query, row, scores, found}> (no hits)
// The first `count` records of `words` (row, other row, score bits: offers waiting for the pass,
// as offers.ts stores them) offered to `offer`'s lists off the JS thread, beside the pass's blocks.
napi_value offerRecordsFn(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  const size_t argc = arguments(env, info, argv);
  Block* b = new Block();
  void* data = nullptr;
  size_t words = 0;
  int64_t count = -1;
  bool ok = argc == 3 && typedArray(env, argv[0], napi_uint32_array, *b, &data, &words) && napi_get_value_int64(env, argv[1], &count) == napi_ok;
  ok = ok && count >= 0 && static_cast<size_t>(count) <= words / 3;
  if (!ok) return refuse(env, b, "offerRecords(words: Uint32Array, count (records of three words in it), offer): bad argument");
  b->records = static_cast<const uint32_t*>(data);
  b->recordCount = static_cast<size_t>(count);
  const char* problem = scanListsOf(env, argv[2], *b);
  if (problem != nullptr) return refuse(env, b, problem);
  for (size_t i = 0; i < b->recordCount; i++) {
    const int32_t row = static_cast<int32_t>(b->records[3 * i]);
    if (row < b->scan.lo || row >= b->scan.hi) return refuse(env, b, "offerRecords: a record's row lies outside the offer's pass");
  }
  return queue(env, b, nullptr);
}

// top(vectors, d, queries, queryVectors | undefined, candidates, k, threads, widest?): Promise<{indices, scores}>
// Each query's k best candidates (rows of `candidates`, n x d) by inner product, best first, ties
// to the lower index (ONNX TopK's order): the queries are rows of `vectors`, or of `queryVectors`.
napi_value topFn(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Block* b = new Block();
  void* data = nullptr;
  size_t vectorsLength, queries, queryVectors = 0, candidates;
  bool ok = argc >= 7 && vectorsAndQueries(env, argv, *b, &vectorsLength, &queries);
  napi_valuetype type = napi_undefined;
  if (ok) napi_typeof(env, argv[3], &type);
  if (ok && type != napi_undefined && type != napi_null) {
    ok = typedArray(env, argv[3], napi_float32_array, *b, &data, &queryVectors) && queryVectors % b->d == 0;
    b->queryVectors = static_cast<const float*>(data);
  }
  ok = ok && typedArray(env, argv[4], napi_float32_array, *b, &data, &candidates) && candidates % b->d == 0;
  b->candidates = static_cast<const float*>(data);
  ok = ok && napi_get_value_int32(env, argv[5], &b->k) == napi_ok && napi_get_value_int32(env, argv[6], &b->threads) == napi_ok;
  b->m = static_cast<int>(b->queryVectors ? queryVectors / b->d : queries);
  b->n = static_cast<int>(ok ? candidates / b->d : 0);
  ok = ok && b->k > 0 && b->k <= b->n;
  const size_t count = ok ? vectorsLength / static_cast<size_t>(b->d) : 0;
  ok = ok && (b->queryVectors != nullptr || idsWithin(b->queries, b->m, count));
  if (!ok) return refuse(env, b, "top(vectors: Float32Array, d, queries: Int32Array, queryVectors?: Float32Array, candidates: Float32Array, k (1 .. candidates), threads): bad argument or row id");
  return queue(env, b, argc > 7 ? argv[7] : nullptr);
}

// groupedTop(vectors, d, queries, candidates, groupOffsets, groupMembers, queryGroups, perQuery, k, threads, widest?): Promise<{indices, scores}>
// Each query's k best of the candidates in its perQuery groups (distinct group ids a query), best
// first, ties to the lower index; a query whose groups hold fewer than k candidates ends in -1s.
napi_value groupedTopFn(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Block* b = new Block();
  void* data = nullptr;
  size_t vectorsLength, queries, candidates, offsets, members, queryGroups;
  bool ok = argc >= 10 && vectorsAndQueries(env, argv, *b, &vectorsLength, &queries);
  ok = ok && typedArray(env, argv[3], napi_float32_array, *b, &data, &candidates) && candidates % b->d == 0;
  b->candidates = static_cast<const float*>(data);
  ok = ok && typedArray(env, argv[4], napi_int32_array, *b, &data, &offsets) && offsets >= 2;
  b->groupOffsets = static_cast<const int32_t*>(data);
  ok = ok && typedArray(env, argv[5], napi_int32_array, *b, &data, &members);
  b->groupMembers = static_cast<const int32_t*>(data);
  ok = ok && typedArray(env, argv[6], napi_int32_array, *b, &data, &queryGroups);
  b->queryGroups = static_cast<const int32_t*>(data);
  ok = ok && napi_get_value_int32(env, argv[7], &b->perQuery) == napi_ok && napi_get_value_int32(env, argv[8], &b->k) == napi_ok && napi_get_value_int32(env, argv[9], &b->threads) == napi_ok;
  b->m = static_cast<int>(queries);
  b->n = static_cast<int>(ok ? candidates / b->d : 0);
  b->groups = static_cast<int>(ok ? offsets - 1 : 0);
  ok = ok && b->k > 0 && b->perQuery > 0 && queryGroups == queries * static_cast<size_t>(b->perQuery);
  ok = ok && idsWithin(b->queries, b->m, vectorsLength / static_cast<size_t>(b->d));
  // Offsets ascend from 0 to the members' length; members and groups are in range; a query's groups are distinct.
  ok = ok && b->groupOffsets[0] == 0 && static_cast<size_t>(b->groupOffsets[b->groups]) == members;
  for (int g = 0; ok && g < b->groups; g++) ok = b->groupOffsets[g] <= b->groupOffsets[g + 1];
  ok = ok && idsWithin(b->groupMembers, static_cast<int>(members), static_cast<size_t>(b->n)) && idsWithin(b->queryGroups, static_cast<int>(queryGroups), static_cast<size_t>(b->groups));
  if (ok) {
    std::vector<int32_t> seen(b->groups, -1);
    for (int i = 0; ok && i < b->m; i++)
      for (int j = 0; ok && j < b->perQuery; j++) {
        int32_t& last = seen[b->queryGroups[static_cast<size_t>(i) * b->perQuery + j]];
        ok = last != i;
        last = i;
      }
  }
  if (!ok) return refuse(env, b, "groupedTop(vectors: Float32Array, d, queries: Int32Array, candidates: Float32Array, groupOffsets: Int32Array, groupMembers: Int32Array, queryGroups: Int32Array (distinct groups a query), perQuery, k, threads): bad argument or id");
  return queue(env, b, argc > 10 ? argv[10] : nullptr);
}

// simd(): the widest tile this CPU runs (2 AVX-512, 1 AVX2, 0 portable; the same results).
napi_value simdFn(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_int32(env, simd(), &result);
  return result;
}

}  // namespace

void registerBlock(napi_env env, napi_value exports) {
  exportFunction(env, exports, "block", blockFn);
  exportFunction(env, exports, "top", topFn);
  exportFunction(env, exports, "groupedTop", groupedTopFn);
  exportFunction(env, exports, "simd", simdFn);
  exportFunction(env, exports, "offerRecords", offerRecordsFn);
}
