// The clustering result's scan of the rows (src/cluster/result.ts, `scanRows`) compiled, on two
// threads: per node, its support in its cluster (neighbours inside / (|C| - 1)); per cluster, the
// member with the largest weighted degree inside (ties: the lowest id). Each half-edge reads the
// label of a random node, a cache miss at millions of nodes: two threads keep twice as many
// misses in flight. The rows are split in two ranges; the lower range wins ties, so the answer
// is the one-pass answer whatever the split.
//
//   scanRows(offsets, targets, weights, assignment, clusterCount, support, heaviest) -> undefined
#include <node_api.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <thread>
#include <vector>

#include "addon.h"

namespace {

struct Scan {
  Offsets offsets;
  const int32_t* targets = nullptr;
  const float* weights = nullptr;
  const int32_t* assignment = nullptr;
  const int32_t* size = nullptr;
  float* support = nullptr;
  size_t n = 0;
  std::atomic<bool> badTarget{false};
};

// Rows [from, to): support into scan.support, the heaviest member per cluster into score/heaviest.
void scanRange(Scan& scan, size_t from, size_t to, double* score, int32_t* heaviest) {
  const int32_t n = static_cast<int32_t>(scan.n);
  for (size_t t = from; t < to; t++) {
    const int32_t c = scan.assignment[t];
    if (c < 0) continue;
    int64_t inside = 0;
    double s = 0;
    for (int64_t h = scan.offsets[t], end = scan.offsets[t + 1]; h < end; h++) {
      const int32_t x = scan.targets[h];
      if (x < 0 || x >= n) {
        scan.badTarget = true;
        return;
      }
      if (scan.assignment[x] != c) continue;
      inside++;
      s += static_cast<double>(scan.weights[h]);
    }
    if (scan.size[c] >= 2) scan.support[t] = static_cast<float>(static_cast<double>(inside) / (scan.size[c] - 1));
    if (s > score[c]) {
      score[c] = s;
      heaviest[c] = static_cast<int32_t>(t);
    }
  }
}

napi_value scanRows(napi_env env, napi_callback_info info) {
  napi_value argv[7];
  const size_t argc = arguments(env, info, argv);
  Scan scan;
  size_t targetCount = 0, weightCount = 0, n = 0, supportLength = 0, heaviestLength = 0;
  int32_t *targets, *assignment, *heaviest;
  float *weights, *support;
  int64_t clusterCount = 0;
  bool ok = argc == 7 && offsetsOf(env, argv[0], &scan.offsets) && typed(env, argv[1], napi_int32_array, &targets, &targetCount) &&
            typed(env, argv[2], napi_float32_array, &weights, &weightCount) && typed(env, argv[3], napi_int32_array, &assignment, &n) &&
            napi_get_value_int64(env, argv[4], &clusterCount) == napi_ok && typed(env, argv[5], napi_float32_array, &support, &supportLength) &&
            typed(env, argv[6], napi_int32_array, &heaviest, &heaviestLength);
  if (!ok) return fail(env, "scanRows(offsets, targets, weights, assignment, clusterCount, support, heaviest): bad argument");
  if (scan.offsets.length != n + 1 || supportLength != n || clusterCount < 0 || static_cast<size_t>(clusterCount) != heaviestLength)
    return fail(env, "scanRows: the arrays do not have the nodes' and clusters' lengths");
  if (const char* problem = offsetsProblem(scan.offsets, targetCount, weightCount)) return fail(env, "scanRows", problem);
  std::vector<int32_t> size(static_cast<size_t>(clusterCount), 0);
  for (size_t t = 0; t < n; t++) {
    if (assignment[t] >= clusterCount) return fail(env, "scanRows: a node's cluster is not below clusterCount");
    if (assignment[t] >= 0) size[assignment[t]]++;
  }
  scan.targets = targets;
  scan.weights = weights;
  scan.assignment = assignment;
  scan.size = size.data();
  scan.support = support;
  scan.n = n;
  std::fill(support, support + n, 0.0f);
  std::fill(heaviest, heaviest + clusterCount, -1);
  const double none = -std::numeric_limits<double>::infinity();
  std::vector<double> score(static_cast<size_t>(clusterCount), none);
  // Two ranges of about as many half-edges; the upper one into arrays of its own, merged after.
  const size_t mid = splitHalf(scan.offsets, n, int64_t{1} << 16);
  if (mid < n) {
    std::vector<double> upperScore(static_cast<size_t>(clusterCount), none);
    std::vector<int32_t> upperHeaviest(static_cast<size_t>(clusterCount), -1);
    std::thread upper([&] { scanRange(scan, mid, n, upperScore.data(), upperHeaviest.data()); });
    scanRange(scan, 0, mid, score.data(), heaviest);
    upper.join();
    for (int64_t c = 0; c < clusterCount; c++)
      if (upperScore[c] > score[c]) heaviest[c] = upperHeaviest[c];
  } else {
    scanRange(scan, 0, n, score.data(), heaviest);
  }
  if (scan.badTarget) return fail(env, "scanRows: a target is not a node");
  return nullptr;
}

}  // namespace

void registerResult(napi_env env, napi_value exports) { exportFunction(env, exports, "scanRows", scanRows); }
