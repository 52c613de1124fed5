// The candidates scan's per-result loop (src/candidates/ivf.ts, `TopLists` and the block's
// callback): each score a block returned is offered to its query's top-k list and, with both
// sides, to its row's. The same heaps and rules as TopLists, on the JS lists' own arrays. At 928k
// terms this loop was 31 s of the scan's main thread in JS (447M hits), competing with the block
// kernel's threads for the two cores; compiled, the scan took 55-61 s instead of 66 s (timings on
// this machine vary by 10-20% from run to run).
#include <node_api.h>

#include <cstdint>
#include <vector>

#include "addon.h"

namespace {

struct Lists {
  float* s;
  int32_t* r;
  int32_t* n;
  int k;
};

// a is worse than b: a lower score, or the same score and a higher row id (TopLists.worse).
inline bool worse(float sa, int32_t ra, float sb, int32_t rb) { return sa < sb || (sa == sb && ra > rb); }

// Scores at or below this cannot enter list q (TopLists.bar), in double as JS compares.
inline double bar(const Lists& l, int q, double floor) {
  if (l.n[q] < l.k) return floor;
  const double worst = l.s[static_cast<size_t>(q) * l.k];
  return worst > floor ? worst : floor;
}

// TopLists.offer: a binary min-heap per list, the worst at the root.
void offer(Lists& l, int q, int32_t row, float score) {
  const int k = l.k;
  float* s = l.s + static_cast<size_t>(q) * k;
  int32_t* r = l.r + static_cast<size_t>(q) * k;
  const int len = l.n[q];
  if (len < k) {
    int i = len;
    l.n[q] = len + 1;
    while (i > 0) {
      const int parent = (i - 1) >> 1;
      if (!worse(score, row, s[parent], r[parent])) break;
      s[i] = s[parent];
      r[i] = r[parent];
      i = parent;
    }
    s[i] = score;
    r[i] = row;
    return;
  }
  if (!worse(s[0], r[0], score, row)) return;
  int i = 0;
  for (;;) {
    const int left = 2 * i + 1;
    if (left >= len) break;
    int child = left;
    if (left + 1 < len && worse(s[left + 1], r[left + 1], s[left], r[left])) child = left + 1;
    if (!worse(s[child], r[child], score, row)) break;
    s[i] = s[child];
    r[i] = r[child];
    i = child;
  }
  s[i] = score;
  r[i] = row;
}

// offerHits(listScores, listRows, listLengths, k, lo, hi, floor, queries, rows, hitQuery, hitRow,
//   hitScore, bothSides, probeList, probes, across): Int32Array
// The hits of one block (positions into `queries` and `rows`), offered as the block's callback in
// ivf.ts does. Returns the hits whose row lies outside the pass [lo, hi) and does not scan the
// query's own cell, for the caller's across-pass rules (only when `across`).
napi_value offerHits(napi_env env, napi_callback_info info) {
  size_t argc = 16;
  napi_value argv[16];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Lists l{};
  size_t listLength, lengths, queryCount, rowCount, hits, hitRows, hitScores, probeLength;
  int32_t lo, hi, probes;
  double floor;
  bool bothSides, across;
  const int32_t *queries, *rows, *hitQuery, *hitRow, *probeList;
  const float* hitScore;
  int32_t k;
  bool ok = argc == 16 && typed(env, argv[0], napi_float32_array, &l.s, &listLength) && typed(env, argv[1], napi_int32_array, &l.r, &listLength) &&
            typed(env, argv[2], napi_int32_array, &l.n, &lengths) && napi_get_value_int32(env, argv[3], &k) == napi_ok && k > 0 &&
            napi_get_value_int32(env, argv[4], &lo) == napi_ok && napi_get_value_int32(env, argv[5], &hi) == napi_ok &&
            napi_get_value_double(env, argv[6], &floor) == napi_ok && typed(env, argv[7], napi_int32_array, &queries, &queryCount) &&
            typed(env, argv[8], napi_int32_array, &rows, &rowCount) && typed(env, argv[9], napi_int32_array, &hitQuery, &hits) &&
            typed(env, argv[10], napi_int32_array, &hitRow, &hitRows) && typed(env, argv[11], napi_float32_array, &hitScore, &hitScores) &&
            napi_get_value_bool(env, argv[12], &bothSides) == napi_ok && typed(env, argv[13], napi_int32_array, &probeList, &probeLength) &&
            napi_get_value_int32(env, argv[14], &probes) == napi_ok && probes > 0 && napi_get_value_bool(env, argv[15], &across) == napi_ok;
  ok = ok && hitRows == hits && hitScores == hits && hi - lo == static_cast<int32_t>(lengths) && listLength == lengths * static_cast<size_t>(k);
  for (size_t i = 0; ok && i < hits; i++) ok = hitQuery[i] >= 0 && static_cast<size_t>(hitQuery[i]) < queryCount && hitRow[i] >= 0 && static_cast<size_t>(hitRow[i]) < rowCount;
  for (size_t i = 0; ok && i < queryCount; i++) ok = queries[i] >= lo && queries[i] < hi && static_cast<size_t>(queries[i]) * probes < probeLength;
  for (size_t i = 0; ok && i < rowCount; i++) ok = rows[i] >= 0 && static_cast<size_t>(rows[i]) * probes < probeLength;
  if (!ok) {
    return fail(env, "offerHits: bad argument (lists, pass, block rows or hits out of range)");
  }
  l.k = k;
  // Row r scans cell c itself (so it scores the pair itself and must not be offered it again).
  auto probesCell = [&](int32_t r, int32_t c) {
    for (const int32_t *j = probeList + static_cast<size_t>(r) * probes, *end = j + probes; j < end; j++)
      if (*j == c) return true;
    return false;
  };
  std::vector<int32_t> outside;
  for (size_t i = 0; i < hits; i++) {
    const int32_t query = queries[hitQuery[i]];
    const int32_t row = rows[hitRow[i]];
    const float score = hitScore[i];
    if (row == query || static_cast<double>(score) < floor) continue;
    offer(l, query - lo, row, score);
    if (!bothSides) continue;
    if (row >= lo && row < hi) {
      if (static_cast<double>(score) >= bar(l, row - lo, floor) && !probesCell(row, probeList[static_cast<size_t>(query) * probes])) offer(l, row - lo, query, score);
    } else if (across && !probesCell(row, probeList[static_cast<size_t>(query) * probes])) {
      outside.push_back(static_cast<int32_t>(i));
    }
  }
  napi_value result, buffer;
  void* data;
  napi_create_arraybuffer(env, outside.size() * 4, &data, &buffer);
  for (size_t i = 0; i < outside.size(); i++) static_cast<int32_t*>(data)[i] = outside[i];
  napi_create_typedarray(env, napi_int32_array, outside.size(), buffer, 0, &result);
  return result;
}

}  // namespace

void registerTopLists(napi_env env, napi_value exports) { exportFunction(env, exports, "offerHits", offerHits); }
