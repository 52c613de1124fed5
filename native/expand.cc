// The clustering's expansion pass (src/cluster/soft.ts, `expand`) compiled: the same loop over the
// edges in the paper's order, the same tests in the same order, the same lists in join order, so
// the soft clusters, and every result built on them, are the ones the JS gives (tested). At 1M
// nodes / 32M edges the pass is bound by cache misses (profiled: 44 of the 63 s of a synograph
// clustering in JS); here the coming edges' lines are prefetched by instruction, not by loads.
//
//   expandBegin(nodeCount, offsets, targets, weights, cannotOffsets, cannotTargets, filter,
//               threshold, weighted, cannotLinks, maxClusterSize, helper?) -> state
//   expandChunk(state, offsets, targets, weights, cannotOffsets, cannotTargets, filter, src, dst, length)
//   expandEnd(state) -> { head, pool, nodeMeta, nodePool, clusterCount, hinted, computed }
//   releaseLists(...arrays) -> bytes freed (the soft lists, once the pruning has read them)
//
//   pruneSoft(nodeCount, offsets, targets, weights, cannotOffsets, cannotTargets, filter, head, pool,
//             nodeMeta, nodePool, clusterCount, weighted) -> { clusterOf, loseNode, loseCluster }
//   peelHard(offsets, targets, weights, filter, clusterOf, sizes, clusterCount, threshold, weighted, only) -> changed
//
// expandBegin checks the graph once (offsets, targets in range); each chunk call must pass the
// same arrays (checked by address and length), as JS keeps them alive across the calls.
#include <node_api.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "addon.h"

namespace {

// The layout of soft.ts: cluster headers of HEAD int32 words, 512-bit filters.
constexpr int HEAD = 20;
constexpr int H_START = 0;
constexpr int H_SIZE = 1;
constexpr int H_CAP = 2;
constexpr int H_DUP = 3;
constexpr int H_BITS = 4;
constexpr int ROW_WORDS = 16;

// Bits set in x: the SWAR count (without -mpopcnt, __builtin_popcount is a library call).
inline int32_t bits(uint32_t x) {
  x -= (x >> 1) & 0x55555555u;
  x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
  return static_cast<int32_t>((((x + (x >> 4)) & 0x0f0f0f0fu) * 0x01010101u) >> 24);
}

inline uint32_t bitOf(int32_t x) { return (static_cast<uint32_t>(x) * 0x9e3779b1u) >> 23; }

struct Csr {
  Offsets offsets;
  const int32_t* targets = nullptr;
  size_t targetCount = 0;
  const float* weights = nullptr;
  size_t weightCount = 0;
};

struct Graph {
  int32_t n = 0;
  Csr syn;
  Csr cannot;
  const int32_t* filter = nullptr;
  size_t filterLength = 0;
};

using Lists = std::vector<int32_t, HugePageAllocator<int32_t>>;

struct Helper;

// HELPER_AUTO: a chunk of HELPER_FROM edges or more gets a helper thread, where there are two cores.
// HELPER_EVERY: every chunk gets one, from its first edge, and the calling thread waits for each of
// its answers (so the tests read an answer, fresh or stale, at every edge).
constexpr int32_t HELPER_AUTO = 0, HELPER_OFF = 1, HELPER_EVERY = 2;
constexpr int64_t HELPER_FROM = int64_t{1} << 16;

struct State {
  Graph g;
  double threshold = 0.51;
  bool weighted = false;
  bool cannotLinks = false;
  int32_t maxClusterSize = 0;
  Lists head;
  Lists pool;
  Lists nodeMeta;
  Lists nodePool;
  std::vector<int32_t> needs;
  int32_t clusterCount = 0;
  bool ended = false;
  // expandEdges' helper thread: HELPER_AUTO, HELPER_OFF, or HELPER_EVERY (the tests).
  int32_t helperMode = HELPER_AUTO;
  Helper* helper = nullptr;         // while a chunk runs with one
  int64_t hinted = 0;               // passes answered by the helper's hints
  int64_t computed = 0;             // passes computed on the calling thread
};

// Reads a CSR (weights optional: a nullptr `weights`).
bool csrOf(napi_env env, napi_value offsets, napi_value targets, napi_value weights, Csr* c) {
  if (!offsetsOf(env, offsets, &c->offsets)) return false;
  if (!typed(env, targets, napi_int32_array, &c->targets, &c->targetCount)) return false;
  if (weights != nullptr && !typed(env, weights, napi_float32_array, &c->weights, &c->weightCount)) return false;
  return true;
}

bool graphOf(napi_env env, napi_value* argv, int32_t n, Graph* g) {
  g->n = n;
  return csrOf(env, argv[0], argv[1], argv[2], &g->syn) && csrOf(env, argv[3], argv[4], nullptr, &g->cannot) &&
         typed(env, argv[5], napi_int32_array, &g->filter, &g->filterLength);
}

// Every row in bounds and every target a node: what the loop relies on to stay in its arrays.
bool csrValid(const Csr& c, int32_t n, bool weighted) {
  if (c.offsets.length != static_cast<size_t>(n) + 1) return false;
  if (offsetsProblem(c.offsets, c.targetCount, weighted ? c.weightCount : c.targetCount) != nullptr) return false;
  // One unsigned comparison a target (a negative one reads as 2^31 or more), without a branch, so
  // that the compiler vectorises it: it runs on every call, over 1.04G targets at 15M nodes.
  const int64_t total = c.offsets[n];
  const uint32_t limit = static_cast<uint32_t>(n);
  uint32_t bad = 0;
  for (int64_t h = 0; h < total; h++) bad |= static_cast<uint32_t>(c.targets[h]) >= limit ? 1u : 0u;
  return bad == 0;
}

bool sameCsr(const Csr& a, const Csr& b) {
  return a.offsets.data() == b.offsets.data() && a.offsets.length == b.offsets.length && a.targets == b.targets && a.targetCount == b.targetCount &&
         a.weights == b.weights && a.weightCount == b.weightCount;
}

bool sameGraph(const Graph& a, const Graph& b) {
  return sameCsr(a.syn, b.syn) && sameCsr(a.cannot, b.cannot) && a.filter == b.filter && a.filterLength == b.filterLength;
}

// graph.ts's findInRow: the half-edge of v in u's sorted row, or -1.
inline int64_t findInRow(const Csr& c, int32_t u, int32_t v) {
  int64_t lo = c.offsets[u];
  int64_t hi = c.offsets[u + 1] - 1;
  const int32_t* t = c.targets;
  while (lo <= hi) {
    const int64_t mid = (lo + hi) >> 1;
    const int32_t x = t[mid];
    if (x < v) lo = mid + 1;
    else if (x > v) hi = mid - 1;
    else return mid;
  }
  return -1;
}

inline int64_t lookup(const Graph& g, int32_t t, int32_t x) {
  const uint32_t b = bitOf(x);
  if (((static_cast<uint32_t>(g.filter[static_cast<size_t>(t) * ROW_WORDS + (b >> 5)]) >> (b & 31)) & 1) == 0) return -1;
  return findInRow(g.syn, t, x);
}

// synograph.ts's hardSupport: the sum (weighted) or count of t's neighbours labelled c, in row order.
// Relaxed loads: the peel's other thread may be unlabelling words of other clusters meanwhile.
inline double hardSupport(const Graph& g, const int32_t* clusterOf, int32_t t, int32_t c, bool weighted) {
  double s = 0;
  for (int64_t h = g.syn.offsets[t], end = g.syn.offsets[t + 1]; h < end; h++)
    if (__atomic_load_n(&clusterOf[g.syn.targets[h]], __ATOMIC_RELAXED) == c) s += weighted ? static_cast<double>(g.syn.weights[h]) : 1;
  return s;
}

// soft.ts's minCount: the least k with k / size > threshold, by the same divisions.
int32_t minCount(int32_t size, double threshold) {
  double k = std::fmax(0, std::floor(threshold * size));
  while (k / size <= threshold) k++;
  while (k > 0 && (k - 1) / size > threshold) k--;
  return static_cast<int32_t>(k);
}

int32_t need(std::vector<int32_t>& needs, double threshold, int32_t size) {
  if (static_cast<size_t>(size) >= needs.size()) needs.resize(std::max<size_t>(size + 1, needs.size() * 2), -1);
  int32_t& k = needs[size];
  if (k < 0) k = minCount(size, threshold);
  return k;
}

// The expansion's lists are read by the helper thread (below) while this thread appends to them, so
// a list's fields are published with release stores and read with acquire loads: a reader that sees
// a length sees the entries and the start before it. Entries below a length never change: a list
// that grows is copied to fresh room at the end of its pool, and the old room is left as it was.
inline int32_t acquire(const int32_t* p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
inline int32_t relaxed(const int32_t* p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
inline void publish(int32_t* p, int32_t x) { __atomic_store_n(p, x, __ATOMIC_RELEASE); }

// Node x's cluster list as published, read from the other thread: its count first, then its start,
// so that the list holds at least `count` entries (a start read first may be an older room).
inline const int32_t* publishedList(const int32_t* nodeMeta, const int32_t* nodePool, int32_t x, int32_t* count) {
  *count = acquire(nodeMeta + 2 * static_cast<size_t>(x) + 1);
  return nodePool + acquire(nodeMeta + 2 * static_cast<size_t>(x));
}

inline void cpuRelax() {
#if defined(__x86_64__)
  asm volatile("pause");
#endif
}

// The helper thread of a chunk (expandEdges): its answers in a ring of two cache lines an edge (14
// answers; with one line's 6, 9% of the 1M planted graph's tests found none), and the handshake by
// which this thread stops it between two edges before it moves a vector the helper reads (a pool
// or the headers outgrowing their room).
constexpr int HINT_ENTRIES = 14;
constexpr int64_t HINT_SLOTS = 4096;
// The calling thread publishes its position every HINT_EVERY edges. The helper answers edges from
// HINT_LEAD past it (where it has fallen behind) to HINT_AHEAD past it, HINT_BATCH at a time; the
// further ahead, the more answers are stale when they are read.
constexpr int64_t HINT_EVERY = 16;
constexpr int64_t HINT_LEAD = 64;
constexpr int64_t HINT_AHEAD = 1024;
constexpr int64_t HINT_BATCH = 16;
static_assert(HINT_AHEAD + HINT_EVERY < HINT_SLOTS, "the helper never laps the ring");

// What passes(t, c) was at c's size when the helper read it, for t = u against v's clusters
// (entries [0, forU)), then t = v against u's ([forU, count)).
struct alignas(64) Hint {
  int64_t edge;  // the chunk's edge these answer; stored last (release), -1 before any
  int16_t forU;
  int16_t count;
  int32_t unused;
  int32_t cluster[HINT_ENTRIES];
  int32_t answer[HINT_ENTRIES];  // size << 1 | passes
};
static_assert(sizeof(Hint) == 128, "a hint is two cache lines");

struct Helper {
  std::vector<Hint> ring = std::vector<Hint>(HINT_SLOTS, Hint{-1, 0, 0, 0, {}, {}});
  alignas(64) std::atomic<int64_t> mainAt{0};
  alignas(64) std::atomic<int64_t> asked{0};
  std::atomic<int64_t> granted{0};
  std::atomic<int64_t> resumed{0};
  std::atomic<bool> stop{false};
  std::atomic<bool> done{false};
  std::vector<int32_t> needs;  // its own need() table
  int64_t lead = HINT_LEAD;    // 0 with HELPER_EVERY: from the calling thread's edge on
};

// Holds the helper between two edges until resumeHelper; a helper that has finished needs no hold.
void holdHelper(State& s) {
  Helper* h = s.helper;
  if (h == nullptr) return;
  const int64_t ask = h->asked.load(std::memory_order_relaxed) + 1;
  h->asked.store(ask, std::memory_order_release);
  while (h->granted.load(std::memory_order_acquire) != ask && !h->done.load(std::memory_order_acquire)) cpuRelax();
}
void resumeHelper(State& s) {
  if (s.helper != nullptr) s.helper->resumed.store(s.helper->asked.load(std::memory_order_relaxed), std::memory_order_release);
}

// v.resize(size), holding the helper when that moves v's data.
void grow(State& s, Lists& v, size_t size) {
  if (size <= v.capacity()) return v.resize(size);
  holdHelper(s);
  v.resize(size);
  resumeHelper(s);
}

int32_t openCluster(State& s) {
  const int32_t c = s.clusterCount++;
  grow(s, s.head, static_cast<size_t>(s.clusterCount) * HEAD);
  return c;
}

// SoftClusters.has: whether the node's cluster list (nodeMeta's [start, count] into nodePool) holds it.
inline bool inList(const int32_t* nodeMeta, const int32_t* nodePool, int32_t node, int32_t cluster) {
  const int32_t* list = nodePool + nodeMeta[2 * static_cast<size_t>(node)];
  for (int32_t i = 0, count = nodeMeta[2 * static_cast<size_t>(node) + 1]; i < count; i++)
    if (list[i] == cluster) return true;
  return false;
}

inline bool has(const State& s, int32_t node, int32_t cluster) { return inList(s.nodeMeta.data(), s.nodePool.data(), node, cluster); }

// SoftClusters.add: member lists and node lists grow by moving to the end with twice the room. A
// list's new entry, its filter bits and its start are in place before its length is published.
void add(State& s, int32_t node, int32_t cluster) {
  int32_t* h = s.head.data() + static_cast<size_t>(cluster) * HEAD;
  const int32_t len = h[H_SIZE];
  if (len == h[H_CAP]) {
    const int32_t cap = std::max(2, len * 2);
    const size_t to = s.pool.size();
    grow(s, s.pool, to + cap);
    h = s.head.data() + static_cast<size_t>(cluster) * HEAD;
    std::memmove(s.pool.data() + to, s.pool.data() + h[H_START], sizeof(int32_t) * len);
    publish(h + H_START, static_cast<int32_t>(to));
    h[H_CAP] = cap;
  }
  s.pool[static_cast<size_t>(h[H_START]) + len] = node;
  const uint32_t b = bitOf(node);
  int32_t* w = h + H_BITS + (b >> 5);
  const int32_t mask = static_cast<int32_t>(1u << (b & 31));
  if (*w & mask) publish(h + H_DUP, h[H_DUP] + 1);
  else publish(w, *w | mask);
  publish(h + H_SIZE, len + 1);
  int32_t* meta = s.nodeMeta.data() + 2 * static_cast<size_t>(node);
  const int32_t count = meta[1];
  if (count == 0 || (count >= 2 && (count & (count - 1)) == 0)) {
    const int32_t cap = count == 0 ? 2 : count * 2;
    const size_t to = s.nodePool.size();
    grow(s, s.nodePool, to + cap);
    std::memmove(s.nodePool.data() + to, s.nodePool.data() + meta[0], sizeof(int32_t) * count);
    publish(meta, static_cast<int32_t>(to));
  }
  s.nodePool[static_cast<size_t>(meta[0]) + count] = cluster;
  publish(meta + 1, count + 1);
}

// soft.ts's `passes` for cluster header h with these first `size` members: support(t, C) / |C| >
// threshold, unweighted through the filters' bound. The helper calls it on a header this thread is
// still filling: its filter bits and duplicate count are published before its length, so they
// cover at least the first `size` members, and the bound stays a bound.
// Shared: the header and members are being written by the other thread (relaxed loads), else plain
// loads, which the compiler may combine (the relaxed ones cost the pass ~25% at 1M nodes).
template <bool Shared>
inline int32_t read(const int32_t* p) { return Shared ? relaxed(p) : *p; }

template <bool Shared>
bool passesAt(const Graph& g, double threshold, bool weighted, std::vector<int32_t>& needs, int32_t t, const int32_t* h, const int32_t* members, int32_t size) {
  if (weighted) {
    double sum = 0;
    for (int32_t m = 0; m < size; m++) {
      const int64_t i = lookup(g, t, read<Shared>(members + m));
      if (i >= 0) sum += g.syn.weights[i];
    }
    return sum / size > threshold;
  }
  const int32_t k = need(needs, threshold, size);
  const int32_t* row = g.filter + static_cast<size_t>(t) * ROW_WORDS;
  int32_t bound = read<Shared>(h + H_DUP);
  for (int w = 0; w < ROW_WORDS; w++) bound += bits(static_cast<uint32_t>(read<Shared>(h + H_BITS + w) & row[w]));
  if (bound < k) return false;
  int32_t found = 0;
  int32_t spare = size - k;
  for (int32_t m = 0; m < size; m++) {
    if (lookup(g, t, read<Shared>(members + m)) >= 0) {
      if (++found >= k) return true;
    } else if (--spare < 0) return false;
  }
  return found >= k;
}

bool conflict(const State& s, int32_t t, int32_t cluster) {
  const Csr& c = s.g.cannot;
  for (int64_t h = c.offsets[t], end = c.offsets[t + 1]; h < end; h++)
    if (has(s, c.targets[h], cluster)) return true;
  return false;
}

// The helper's answer for (t, cluster) at this size among entries [from, to) of `hint`: 1 passes,
// 0 fails, -1 none.
inline int hinted(const Hint* hint, int from, int to, int32_t cluster, int32_t size) {
  for (int i = from; i < to; i++)
    if (hint->cluster[i] == cluster) return hint->answer[i] >> 1 == size ? hint->answer[i] & 1 : -1;
  return -1;
}

// mayJoin's tests before `passes` on a cluster of this size: below the cap, and t has more edges
// than the threshold's share of it (the helper skips the same clusters).
inline bool sizeAllows(const State& s, int32_t t, int32_t size) {
  if (s.maxClusterSize > 0 && size >= s.maxClusterSize) return false;
  const Offsets& o = s.g.syn.offsets;
  return static_cast<double>(o[t + 1] - o[t]) > s.threshold * size;
}

bool mayJoin(State& s, int32_t t, int32_t cluster, const Hint* hint, int from, int to) {
  if (has(s, t, cluster)) return false;
  const int32_t* h = s.head.data() + static_cast<size_t>(cluster) * HEAD;
  const int32_t size = h[H_SIZE];
  if (!sizeAllows(s, t, size)) return false;
  int pass = hint != nullptr ? hinted(hint, from, to, cluster, size) : -1;
  if (pass >= 0) {
    s.hinted++;
  } else {
    s.computed++;
    pass = passesAt<false>(s.g, s.threshold, s.weighted, s.needs, t, h, s.pool.data() + h[H_START], size);
  }
  if (!pass) return false;
  return !(s.cannotLinks && conflict(s, t, cluster));
}

// The helper's answers for t against `other`'s clusters, from entry `at` of the slot: the tests of
// mayJoin before `passes` on the lists as published now, then passes itself. Returns the next entry.
int hintSide(const State& s, Helper& helper, int32_t t, int32_t other, Hint& slot, int at) {
  int32_t count, own;
  const int32_t* list = publishedList(s.nodeMeta.data(), s.nodePool.data(), other, &count);
  if (count == 0) return at;
  const int32_t* ownList = publishedList(s.nodeMeta.data(), s.nodePool.data(), t, &own);
  for (int32_t i = 0; i < count && at < HINT_ENTRIES; i++) {
    const int32_t c = relaxed(list + i);
    bool member = false;
    for (int32_t j = 0; j < own && !member; j++) member = relaxed(ownList + j) == c;
    if (member) continue;  // t stays in c: the caller's has() answers
    const int32_t* h = s.head.data() + static_cast<size_t>(c) * HEAD;
    const int32_t size = acquire(h + H_SIZE);
    if (!sizeAllows(s, t, size) || size >= (1 << 30)) continue;
    const int32_t* members = s.pool.data() + acquire(h + H_START);
    slot.cluster[at] = c;
    slot.answer[at] = size << 1 | (passesAt<true>(s.g, s.threshold, s.weighted, helper.needs, t, h, members, size) ? 1 : 0);
    at++;
  }
  return at;
}

// Loads the lines a batch of edges [j, end) will read, stage by stage, each stage's lines all asked
// for before the next stage reads them: the helper's reads then overlap, where one edge's chain of
// dependent reads (node, list, header, members, row) would wait on each in turn.
void prefetchBatch(const State& s, const int32_t* src, const int32_t* dst, int64_t j, int64_t end) {
  const int32_t* meta = s.nodeMeta.data();
  const int32_t* nodePool = s.nodePool.data();
  const int32_t* head = s.head.data();
  const Offsets& o = s.g.syn.offsets;
  for (int64_t k = j; k < end; k++) {
    PF(meta + 2 * static_cast<size_t>(src[k]));
    PF(meta + 2 * static_cast<size_t>(dst[k]));
  }
  for (int64_t k = j; k < end; k++)
    for (int e = 0; e < 2; e++) {
      const int32_t x = e == 0 ? src[k] : dst[k];
      int32_t count;
      const int32_t* list = publishedList(meta, nodePool, x, &count);
      if (count > 0) PF(list);
      PF(o.u32 != nullptr ? static_cast<const void*>(o.u32 + x) : static_cast<const void*>(o.f64 + x));
      PF(s.g.filter + static_cast<size_t>(x) * ROW_WORDS);
    }
  for (int64_t k = j; k < end; k++)
    for (int e = 0; e < 2; e++) {
      const int32_t x = e == 0 ? src[k] : dst[k];
      int32_t count;
      const int32_t* list = publishedList(meta, nodePool, x, &count);
      for (int32_t i = 0; i < std::min(8, count); i++) {
        const int32_t* h = head + static_cast<size_t>(relaxed(list + i)) * HEAD;
        PF(h);
        PF(h + HEAD - 1);
      }
      PF(s.g.syn.targets + (o[x] + o[x + 1]) / 2);  // where `passes` starts its searches of t's row
    }
  for (int64_t k = j; k < end; k++)
    for (int e = 0; e < 2; e++) {
      const int32_t x = e == 0 ? src[k] : dst[k];
      int32_t count;
      const int32_t* list = publishedList(meta, nodePool, x, &count);
      for (int32_t i = 0; i < std::min(8, count); i++)
        PF(s.pool.data() + relaxed(head + static_cast<size_t>(relaxed(list + i)) * HEAD + H_START));
    }
}

// The helper thread: answers `passes` for edges ahead of the calling thread, from HINT_LEAD past its
// published position, in batches, until the chunk ends or it is stopped; it stands still while it
// is held.
void runHelper(const State& s, Helper& helper, const int32_t* src, const int32_t* dst, int64_t length) {
  int64_t granted = 0;
  for (int64_t j = 0; !helper.stop.load(std::memory_order_relaxed);) {
    const int64_t ask = helper.asked.load(std::memory_order_acquire);
    if (ask != granted) {
      granted = ask;
      helper.granted.store(ask, std::memory_order_release);
      while (helper.resumed.load(std::memory_order_acquire) != ask) cpuRelax();
      continue;
    }
    const int64_t at = helper.mainAt.load(std::memory_order_acquire);
    j = std::max(j, at + helper.lead);
    if (j >= length) break;
    if (j + HINT_BATCH >= at + HINT_AHEAD) {
      cpuRelax();
      continue;
    }
    const int64_t end = std::min(length, j + HINT_BATCH);
    prefetchBatch(s, src, dst, j, end);
    for (; j < end; j++) {
      Hint& slot = helper.ring[j % HINT_SLOTS];
      const int forU = hintSide(s, helper, src[j], dst[j], slot, 0);
      slot.forU = static_cast<int16_t>(forU);
      slot.count = static_cast<int16_t>(hintSide(s, helper, dst[j], src[j], slot, forU));
      __atomic_store_n(&slot.edge, j, __ATOMIC_RELEASE);
    }
  }
  helper.done.store(true, std::memory_order_release);
}

// The lines the coming edges read, as soft.ts's `prefetch` touches them: endpoints' node lists
// 16 edges ahead, their first clusters, rows and filters 8 ahead, the clusters' headers 4 ahead.
// Distances in edges: 16/8/4 measured the same as 8/4/2, 12/6/3 and 32/16/8 at 1M nodes (21-23 s
// for the pass). Prefetch instructions, not loads as the JS does (loads: 28.6 s).
constexpr int FAR = 16, MID = 8, NEAR = 4;
inline void prefetch(const State& s, const int32_t* src, const int32_t* dst, int64_t k, int64_t length) {
  const int32_t* meta = s.nodeMeta.data();
  if (k + FAR < length) {
    PF(meta + 2 * static_cast<size_t>(src[k + FAR]));
    PF(meta + 2 * static_cast<size_t>(dst[k + FAR]));
  }
  if (k + MID < length) {
    for (int e = 0; e < 2; e++) {
      const int32_t x = e == 0 ? src[k + MID] : dst[k + MID];
      if (meta[2 * static_cast<size_t>(x) + 1] > 0) PF(s.nodePool.data() + meta[2 * static_cast<size_t>(x)]);
      const int32_t* f = s.g.filter + static_cast<size_t>(x) * ROW_WORDS;
      PF(f);
      PF(f + ROW_WORDS - 1);
      const Offsets& o = s.g.syn.offsets;
      PF(o.u32 != nullptr ? static_cast<const void*>(o.u32 + x) : static_cast<const void*>(o.f64 + x));
    }
  }
  if (k + NEAR < length) {
    for (int e = 0; e < 2; e++) {
      const int32_t x = e == 0 ? src[k + NEAR] : dst[k + NEAR];
      const int32_t* list = s.nodePool.data() + meta[2 * static_cast<size_t>(x)];
      for (int32_t i = 0, count = std::min(8, meta[2 * static_cast<size_t>(x) + 1]); i < count; i++) {
        const int32_t* h = s.head.data() + static_cast<size_t>(list[i]) * HEAD;
        PF(h);
        PF(h + HEAD - 1);
      }
    }
    if (s.helper != nullptr) PF(&s.helper->ring[(k + NEAR) % HINT_SLOTS]);
  }
}

// The pass is bound by one core's random reads (15M planted graph: ~22-25 lines an edge, 1.15 µs).
// With a second core, a helper thread reads ahead what `passes` needs (cluster members, rows) and
// leaves its answers, each for the cluster's size it saw; this thread takes an answer only where
// the cluster still has that size. Members are only appended, so a cluster of that size has the
// same members and the answer is the one it would compute: the lists do not depend on timing.
// 15M planted graph, one day, one run at a time: the pass took 437-439 s with the helper (two
// runs), 464-548 s without (three); it answered 53% of the 3.2G tests. It is slower per edge than
// this loop (its reads wait on lines this core has just written), so it does not answer them all.
void expandEdges(State& s, const int32_t* src, const int32_t* dst, int64_t length) {
  std::unique_ptr<Helper> helper;
  std::thread thread;
  const bool every = s.helperMode == HELPER_EVERY;
  if (length > 0 && (every || (s.helperMode == HELPER_AUTO && length >= HELPER_FROM && std::thread::hardware_concurrency() >= 2))) {
    helper = std::make_unique<Helper>();
    if (every) helper->lead = 0;
    s.helper = helper.get();
    thread = std::thread(runHelper, std::cref(s), std::ref(*helper), src, dst, length);
  }
  std::vector<int32_t> ofU, ofV;
  const int32_t* meta;
  for (int64_t k = 0; k < length; k++) {
    if (helper && k % HINT_EVERY == 0) helper->mainAt.store(k, std::memory_order_release);
    prefetch(s, src, dst, k, length);
    const int32_t u = src[k];
    const int32_t v = dst[k];
    meta = s.nodeMeta.data();
    if (meta[2 * static_cast<size_t>(u) + 1] == 0 && meta[2 * static_cast<size_t>(v) + 1] == 0) {
      if (s.cannotLinks && findInRow(s.g.cannot, u, v) >= 0) continue;
      const int32_t c = openCluster(s);
      add(s, u, c);
      add(s, v, c);
      continue;
    }
    const Hint* hint = nullptr;
    if (helper) {
      const Hint& slot = helper->ring[k % HINT_SLOTS];
      while (every && __atomic_load_n(&slot.edge, __ATOMIC_ACQUIRE) != k) cpuRelax();
      if (__atomic_load_n(&slot.edge, __ATOMIC_ACQUIRE) == k) hint = &slot;
    }
    const int forU = hint != nullptr ? hint->forU : 0, count = hint != nullptr ? hint->count : 0;
    // Snapshots: the lists may grow (and move) while they are tried.
    ofV.assign(s.nodePool.data() + meta[2 * static_cast<size_t>(v)], s.nodePool.data() + meta[2 * static_cast<size_t>(v)] + meta[2 * static_cast<size_t>(v) + 1]);
    ofU.assign(s.nodePool.data() + meta[2 * static_cast<size_t>(u)], s.nodePool.data() + meta[2 * static_cast<size_t>(u)] + meta[2 * static_cast<size_t>(u) + 1]);
    for (const int32_t c : ofV)
      if (mayJoin(s, u, c, hint, 0, forU)) add(s, u, c);
    for (const int32_t c : ofU)
      if (mayJoin(s, v, c, hint, forU, count)) add(s, v, c);
  }
  if (helper) {
    helper->stop.store(true, std::memory_order_relaxed);
    thread.join();
    s.helper = nullptr;
  }
}

void finalize(napi_env, void* data, void*) { delete static_cast<State*>(data); }

State* stateOf(napi_env env, napi_value value) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_external) return nullptr;
  void* data;
  if (napi_get_value_external(env, value, &data) != napi_ok) return nullptr;
  State* s = static_cast<State*>(data);
  return s->ended ? nullptr : s;
}

napi_value expandBegin(napi_env env, napi_callback_info info) {
  napi_value argv[12];
  const size_t argc = arguments(env, info, argv);
  int32_t n;
  State s;
  bool ok = (argc == 11 || argc == 12) && napi_get_value_int32(env, argv[0], &n) == napi_ok && n >= 0 && graphOf(env, argv + 1, n, &s.g);
  ok = ok && napi_get_value_double(env, argv[7], &s.threshold) == napi_ok && napi_get_value_bool(env, argv[8], &s.weighted) == napi_ok &&
       napi_get_value_bool(env, argv[9], &s.cannotLinks) == napi_ok && napi_get_value_int32(env, argv[10], &s.maxClusterSize) == napi_ok;
  ok = ok && (argc == 11 || (napi_get_value_int32(env, argv[11], &s.helperMode) == napi_ok && s.helperMode >= HELPER_AUTO && s.helperMode <= HELPER_EVERY));
  if (!ok) return fail(env, "expandBegin(nodeCount, offsets, targets, weights, cannotOffsets, cannotTargets, filter, threshold, weighted, cannotLinks, maxClusterSize, helper? (0 auto, 1 off, 2 every edge)): bad argument");
  if (!csrValid(s.g.syn, n, true) || !csrValid(s.g.cannot, n, false) || s.g.filterLength != static_cast<size_t>(n) * ROW_WORDS)
    return fail(env, "expandBegin: the graph's arrays do not form a CSR of nodeCount nodes with its row filters");
  State* state = new State(s);
  state->nodeMeta.assign(2 * static_cast<size_t>(n), 0);
  state->head.reserve(HEAD * 1024);
  napi_value external;
  napi_create_external(env, state, finalize, nullptr, &external);
  return external;
}

napi_value expandChunk(napi_env env, napi_callback_info info) {
  napi_value argv[10];
  const size_t argc = arguments(env, info, argv);
  State* s = argc == 10 ? stateOf(env, argv[0]) : nullptr;
  Graph g;
  const int32_t *src, *dst;
  size_t srcLength, dstLength;
  int64_t length;
  bool ok = s != nullptr && graphOf(env, argv + 1, s->g.n, &g) && typed(env, argv[7], napi_int32_array, &src, &srcLength) &&
            typed(env, argv[8], napi_int32_array, &dst, &dstLength) && napi_get_value_int64(env, argv[9], &length) == napi_ok;
  if (!ok) return fail(env, "expandChunk(state, offsets, targets, weights, cannotOffsets, cannotTargets, filter, src, dst, length): bad argument");
  if (!sameGraph(g, s->g)) return fail(env, "expandChunk: not the graph expandBegin was given");
  if (length < 0 || static_cast<size_t>(length) > srcLength || static_cast<size_t>(length) > dstLength) return fail(env, "expandChunk: length exceeds the arrays");
  for (int64_t k = 0; k < length; k++)
    if (src[k] < 0 || src[k] >= s->g.n || dst[k] < 0 || dst[k] >= s->g.n) return fail(env, "expandChunk: an edge's endpoint is not a node");
  expandEdges(*s, src, dst, length);
  return nullptr;
}

// The vectors that int32Array handed to JS, by their data's address, so that releaseLists can free
// one at once: Node runs an external buffer's finaliser on a later turn of the event loop, never
// inside a synchronous clustering, so without this the soft lists stayed resident through the
// refinement (12.06 GiB at the first reexpansion of the 15M planted graph).
struct Handed {
  void* vector;
  void (*release)(void*);
};
std::mutex handedMutex;
std::unordered_map<const void*, Handed> handed;

template <typename Vector>
void releaseVector(void* v) { Vector().swap(*static_cast<Vector*>(v)); }

template <typename Vector>
void freeVector(napi_env, void* data, void* hint) {
  {
    std::lock_guard<std::mutex> lock(handedMutex);
    const auto at = handed.find(data);
    // The address may have been freed by releaseLists and handed out again since.
    if (at != handed.end() && at->second.vector == hint) handed.erase(at);
  }
  delete static_cast<Vector*>(hint);
}

// An Int32Array over the vector's own memory (moved out of `from`), freed when JS collects it or
// releaseLists is given it: no copy, so no second set of lists at the end of a 15M-node expansion
// (the copies made that run's peak RSS). Where external buffers are refused, a copy.
template <typename Vector>
napi_value int32Array(napi_env env, Vector&& from) {
  auto* owned = new Vector(std::move(from));
  napi_value buffer, array;
  const size_t length = owned->size();
  if (length > 0 && napi_create_external_arraybuffer(env, owned->data(), length * 4, freeVector<Vector>, owned, &buffer) == napi_ok) {
    {
      std::lock_guard<std::mutex> lock(handedMutex);
      handed[owned->data()] = Handed{owned, releaseVector<Vector>};
    }
    napi_create_typedarray(env, napi_int32_array, length, buffer, 0, &array);
    return array;
  }
  void* data;
  napi_create_arraybuffer(env, length * 4, &data, &buffer);
  if (length > 0) std::memcpy(data, owned->data(), length * 4);
  delete owned;
  napi_create_typedarray(env, napi_int32_array, length, buffer, 0, &array);
  return array;
}

napi_value expandEnd(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  const size_t argc = arguments(env, info, argv);
  State* s = argc == 1 ? stateOf(env, argv[0]) : nullptr;
  if (s == nullptr) return fail(env, "expandEnd(state): not a running expansion");
  napi_value result, count;
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "head", int32Array(env, std::move(s->head)));
  napi_set_named_property(env, result, "pool", int32Array(env, std::move(s->pool)));
  napi_set_named_property(env, result, "nodeMeta", int32Array(env, std::move(s->nodeMeta)));
  napi_set_named_property(env, result, "nodePool", int32Array(env, std::move(s->nodePool)));
  napi_create_int32(env, s->clusterCount, &count);
  napi_set_named_property(env, result, "clusterCount", count);
  napi_set_named_property(env, result, "hinted", number(env, static_cast<double>(s->hinted)));
  napi_set_named_property(env, result, "computed", number(env, static_cast<double>(s->computed)));
  // The lists now belong to JS; the external (and its finaliser) stays valid but refuses more calls.
  s->ended = true;
  std::vector<int32_t>().swap(s->needs);
  return result;
}

// releaseLists(...arrays) -> bytes freed: detaches each typed array's buffer (its views read as
// empty from then on) and frees at once the memory of those int32Array handed out. A buffer
// already detached is skipped; one that is not detachable is an error.
napi_value releaseLists(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc > 8) return fail(env, "releaseLists(...arrays): at most 8 typed arrays");
  double freed = 0;
  for (size_t i = 0; i < argc; i++) {
    bool isTyped = false;
    napi_value buffer;
    void* data;
    size_t byteLength;
    bool detached = false;
    if (napi_is_typedarray(env, argv[i], &isTyped) != napi_ok || !isTyped || napi_get_typedarray_info(env, argv[i], nullptr, nullptr, nullptr, &buffer, nullptr) != napi_ok)
      return fail(env, "releaseLists(...arrays): an argument is not a typed array");
    if (napi_is_detached_arraybuffer(env, buffer, &detached) != napi_ok || detached) continue;
    if (napi_get_arraybuffer_info(env, buffer, &data, &byteLength) != napi_ok || napi_detach_arraybuffer(env, buffer) != napi_ok)
      return fail(env, "releaseLists: a buffer could not be detached");
    std::lock_guard<std::mutex> lock(handedMutex);
    const auto at = handed.find(data);
    if (at == handed.end()) continue;
    at->second.release(at->second.vector);
    handed.erase(at);
    freed += static_cast<double>(byteLength);
  }
  return number(env, freed);
}

// The soft clusters as expandEnd returned them (SoftClusters' arrays), for the pruning.
struct SoftView {
  const int32_t* head = nullptr;
  size_t headLength = 0;
  const int32_t* pool = nullptr;
  size_t poolLength = 0;
  const int32_t* nodeMeta = nullptr;
  size_t metaLength = 0;
  const int32_t* nodePool = nullptr;
  size_t nodePoolLength = 0;
  int32_t clusterCount = 0;
};

// Every list inside its pool and every id in range: what the pruning relies on.
bool softValid(const SoftView& v, int32_t n) {
  if (v.clusterCount < 0 || v.headLength < static_cast<size_t>(v.clusterCount) * HEAD || v.metaLength != 2 * static_cast<size_t>(n)) return false;
  for (int32_t c = 0; c < v.clusterCount; c++) {
    const int32_t* h = v.head + static_cast<size_t>(c) * HEAD;
    if (h[H_START] < 0 || h[H_SIZE] < 0 || static_cast<size_t>(h[H_START]) + h[H_SIZE] > v.poolLength) return false;
    for (int32_t m = 0; m < h[H_SIZE]; m++)
      if (v.pool[h[H_START] + m] < 0 || v.pool[h[H_START] + m] >= n) return false;
  }
  for (int32_t t = 0; t < n; t++) {
    const int32_t start = v.nodeMeta[2 * static_cast<size_t>(t)], count = v.nodeMeta[2 * static_cast<size_t>(t) + 1];
    if (start < 0 || count < 0 || static_cast<size_t>(start) + count > v.nodePoolLength) return false;
    for (int32_t i = 0; i < count; i++)
      if (v.nodePool[start + i] < 0 || v.nodePool[start + i] >= v.clusterCount) return false;
  }
  return true;
}


// soft.ts's softSupport: C's members (join order) when C is the smaller side, else t's row.
double softSupport(const Graph& g, const SoftView& v, int32_t t, int32_t cluster, bool weighted) {
  const int64_t start = g.syn.offsets[t], end = g.syn.offsets[t + 1];
  const int32_t* h = v.head + static_cast<size_t>(cluster) * HEAD;
  const int32_t size = h[H_SIZE];
  double sum = 0;
  if (size <= end - start) {
    for (int32_t m = 0; m < size; m++) {
      const int64_t i = lookup(g, t, v.pool[h[H_START] + m]);
      if (i >= 0) sum += weighted ? static_cast<double>(g.syn.weights[i]) : 1;
    }
  } else {
    for (int64_t e = start; e < end; e++)
      if (inList(v.nodeMeta, v.nodePool, g.syn.targets[e], cluster)) sum += weighted ? static_cast<double>(g.syn.weights[e]) : 1;
  }
  return sum;
}

// The losing memberships of words [from, to): all but one of each word's clusters (a word's list
// never holds a cluster twice).
size_t losersIn(const SoftView& v, int32_t from, int32_t to) {
  size_t k = 0;
  for (int32_t t = from; t < to; t++) k += static_cast<size_t>(std::max(0, v.nodeMeta[2 * static_cast<size_t>(t) + 1] - 1));
  return k;
}

// The vote of words [from, to) into clusterOf, their losers written from loseNode and loseCluster
// on in word order.
void voteRange(const Graph& g, const SoftView& v, bool weighted, int32_t from, int32_t to, int32_t* clusterOf, int32_t* loseNode, int32_t* loseCluster) {
  const int32_t n = g.n;
  size_t lost = 0;
  for (int32_t t = from; t < to; t++) {
    // The coming words' clusters: their lists 16 words ahead, the headers 8, the members 4.
    if (t + 16 < n) PF(v.nodePool + v.nodeMeta[2 * static_cast<size_t>(t + 16)]);
    for (int ahead = 8; ahead >= 4; ahead -= 4) {
      if (t + ahead >= n) continue;
      const int32_t* next = v.nodePool + v.nodeMeta[2 * static_cast<size_t>(t + ahead)];
      for (int32_t i = 0, count = v.nodeMeta[2 * static_cast<size_t>(t + ahead) + 1]; i < count && count > 1; i++) {
        const int32_t* h = v.head + static_cast<size_t>(next[i]) * HEAD;
        if (ahead == 8) PF(h);
        else PF(v.pool + h[H_START]);
      }
    }
    const int32_t count = v.nodeMeta[2 * static_cast<size_t>(t) + 1];
    if (count == 0) continue;
    const int32_t* list = v.nodePool + v.nodeMeta[2 * static_cast<size_t>(t)];
    if (count == 1) {
      clusterOf[t] = list[0];
      continue;
    }
    int32_t best = -1;
    double bestScore = -1;
    for (int32_t i = 0; i < count; i++) {
      const int32_t c = list[i];
      const double score = softSupport(g, v, t, c, weighted);
      const int32_t size = v.head[static_cast<size_t>(c) * HEAD + H_SIZE];
      const int32_t bestSize = best < 0 ? 0 : v.head[static_cast<size_t>(best) * HEAD + H_SIZE];
      if (best == -1 || score > bestScore || (score == bestScore && (size < bestSize || (size == bestSize && c < best)))) {
        best = c;
        bestScore = score;
      }
    }
    clusterOf[t] = best;
    for (int32_t i = 0; i < count; i++) {
      if (list[i] == best) continue;
      loseNode[lost] = t;
      loseCluster[lost++] = list[i];
    }
  }
}

// pruneSoft(nodeCount, offsets, targets, weights, cannotOffsets, cannotTargets, filter, head, pool,
//           nodeMeta, nodePool, clusterCount, weighted) -> { clusterOf, loseNode, loseCluster }
// soft.ts's `prune` before its dropSmall: each word keeps the cluster with most shared synonyms
// (then the smaller, then the lower id), read from the pre-pruning lists; the rest are losers.
napi_value pruneSoft(napi_env env, napi_callback_info info) {
  napi_value argv[13];
  const size_t argc = arguments(env, info, argv);
  int32_t n;
  Graph g;
  SoftView v;
  bool weighted;
  bool ok = argc == 13 && napi_get_value_int32(env, argv[0], &n) == napi_ok && n >= 0 && graphOf(env, argv + 1, n, &g) &&
            typed(env, argv[7], napi_int32_array, &v.head, &v.headLength) && typed(env, argv[8], napi_int32_array, &v.pool, &v.poolLength) &&
            typed(env, argv[9], napi_int32_array, &v.nodeMeta, &v.metaLength) && typed(env, argv[10], napi_int32_array, &v.nodePool, &v.nodePoolLength) &&
            napi_get_value_int32(env, argv[11], &v.clusterCount) == napi_ok && napi_get_value_bool(env, argv[12], &weighted) == napi_ok;
  if (!ok) return fail(env, "pruneSoft(nodeCount, offsets, targets, weights, cannotOffsets, cannotTargets, filter, head, pool, nodeMeta, nodePool, clusterCount, weighted): bad argument");
  if (!csrValid(g.syn, n, true) || g.filterLength != static_cast<size_t>(n) * ROW_WORDS) return fail(env, "pruneSoft: the graph's arrays do not form a CSR of nodeCount nodes with its row filters");
  if (!softValid(v, n)) return fail(env, "pruneSoft: the soft clusters' lists do not fit their arrays");
  // Each word's vote reads only the snapshot: two ranges of words (about as many half-edges each)
  // vote on two threads, each writing its losers where one pass would have put them, in arrays
  // of the exact length (joining two grown lists had raised the 15M clustering's peak RSS from
  // 11.59 to 11.89 GiB). 15M planted graph: the vote took 23.7-23.8 s, against 39.6-40.0 on one.
  const int32_t mid = static_cast<int32_t>(splitHalf(g.syn.offsets, static_cast<size_t>(n), int64_t{1} << 16));
  const size_t lower = losersIn(v, 0, mid);
  const size_t total = lower + losersIn(v, mid, n);
  std::vector<int32_t> clusterOf(static_cast<size_t>(n), -1), loseNode(total), loseCluster(total);
  if (mid < n) {
    std::thread upper([&] { voteRange(g, v, weighted, mid, n, clusterOf.data(), loseNode.data() + lower, loseCluster.data() + lower); });
    voteRange(g, v, weighted, 0, mid, clusterOf.data(), loseNode.data(), loseCluster.data());
    upper.join();
  } else {
    voteRange(g, v, weighted, 0, n, clusterOf.data(), loseNode.data(), loseCluster.data());
  }
  napi_value result;
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "clusterOf", int32Array(env, std::move(clusterOf)));
  napi_set_named_property(env, result, "loseNode", int32Array(env, std::move(loseNode)));
  napi_set_named_property(env, result, "loseCluster", int32Array(env, std::move(loseCluster)));
  return result;
}

// The peel of clusters [from, to) (see peelHard): whether it removed anyone.
bool peelRange(const Graph& g, const std::vector<int32_t>& mo, std::vector<int32_t>& members, int32_t* clusterOf, int32_t* sizes, int32_t from, int32_t to,
               double threshold, bool weighted, const uint8_t* only) {
  const int32_t clusterCount = static_cast<int32_t>(mo.size()) - 1;
  bool changed = false;
  std::vector<double> score;
  for (int32_t c = from; c < to; c++) {
    int32_t* group = members.data() + mo[c];
    int32_t len = mo[c + 1] - mo[c];
    if (len == 0 || (only != nullptr && only[c] == 0)) continue;
    // The next clusters' members' rows: their offsets and filters.
    if (c + 2 < clusterCount)
      for (int32_t i = mo[c + 2]; i < mo[c + 3] && i < mo[c + 2] + 8; i++) PF(g.filter + static_cast<size_t>(members[i]) * ROW_WORDS);
    score.assign(static_cast<size_t>(len), 0);
    int64_t degrees = 0;
    for (int32_t i = 0; i < len; i++) degrees += g.syn.offsets[group[i] + 1] - g.syn.offsets[group[i]];
    // Pairwise lookups while they cost less than reading every member's row (as the JS).
    if (static_cast<int64_t>(len) * len <= 4 * degrees) {
      for (int32_t i = 0; i < len; i++)
        for (int32_t j = 0; j < len; j++) {
          if (j == i) continue;
          const int64_t h = lookup(g, group[i], group[j]);
          if (h >= 0) score[i] += weighted ? static_cast<double>(g.syn.weights[h]) : 1;
        }
    } else {
      for (int32_t i = 0; i < len; i++) score[i] = hardSupport(g, clusterOf, group[i], c, weighted);
    }
    while (len > 0) {
      int32_t worst = -1;
      for (int32_t i = 0; i < len; i++)
        if (worst == -1 || score[i] < score[worst] || (score[i] == score[worst] && group[i] > group[worst])) worst = i;
      if (len >= 2 && score[worst] / (len - 1) > threshold) break;
      const int32_t x = group[worst];
      __atomic_store_n(&clusterOf[x], -1, __ATOMIC_RELAXED);
      changed = true;
      for (int32_t i = 0; i < len; i++) {
        if (i == worst) continue;
        const int64_t j = findInRow(g.syn, group[i], x);
        if (j >= 0) score[i] -= weighted ? static_cast<double>(g.syn.weights[j]) : 1;
      }
      len--;
      group[worst] = group[len];
      score[worst] = score[len];
    }
    sizes[c] = len;
  }
  return changed;
}

// peelHard(offsets, targets, weights, filter, clusterOf, sizes, clusterCount, threshold, weighted, only) -> changed
// synograph.ts's `peel`, on its arrays in place: in each cluster (those marked in `only`, unless
// null) the worst-supported member goes first (ties: the higher id) until every member's
// support / (|C| - 1) exceeds the threshold.
napi_value peelHard(napi_env env, napi_callback_info info) {
  napi_value argv[10];
  const size_t argc = arguments(env, info, argv);
  Graph g;
  int32_t *clusterOf, *sizes;
  size_t n, sizeLength;
  int32_t clusterCount;
  double threshold;
  bool weighted;
  const uint8_t* only = nullptr;
  size_t onlyLength = 0;
  napi_valuetype onlyType = napi_null;
  bool ok = argc == 10 && typed(env, argv[4], napi_int32_array, &clusterOf, &n) && typed(env, argv[5], napi_int32_array, &sizes, &sizeLength) &&
            napi_typeof(env, argv[9], &onlyType) == napi_ok && (onlyType == napi_null || typed(env, argv[9], napi_uint8_array, &only, &onlyLength));
  if (ok) {
    // graphOf reads six arrays (synonyms, cannot-links, filter); the peel has no cannot-links.
    napi_value six[6] = {argv[0], argv[1], argv[2], argv[0], argv[1], argv[3]};
    ok = graphOf(env, six, static_cast<int32_t>(n), &g);
  }
  ok = ok && napi_get_value_int32(env, argv[6], &clusterCount) == napi_ok && napi_get_value_double(env, argv[7], &threshold) == napi_ok &&
       napi_get_value_bool(env, argv[8], &weighted) == napi_ok && clusterCount >= 0 && static_cast<size_t>(clusterCount) <= sizeLength &&
       (only == nullptr || static_cast<size_t>(clusterCount) <= onlyLength);
  if (!ok) return fail(env, "peelHard(offsets, targets, weights, filter, clusterOf, sizes, clusterCount, threshold, weighted, only): bad argument");
  const int32_t nodes = static_cast<int32_t>(n);
  if (!csrValid(g.syn, nodes, true) || g.filterLength != n * ROW_WORDS) return fail(env, "peelHard: the graph's arrays do not form a CSR of clusterOf's nodes with its row filters");
  // Members by cluster, ascending ids (result.ts's clusterMembers).
  std::vector<int32_t> mo(static_cast<size_t>(clusterCount) + 1, 0);
  for (int32_t t = 0; t < nodes; t++) {
    if (clusterOf[t] >= clusterCount || clusterOf[t] < -1) return fail(env, "peelHard: a node's cluster is not below clusterCount");
    if (clusterOf[t] >= 0) mo[clusterOf[t] + 1]++;
  }
  for (int32_t c = 0; c < clusterCount; c++) mo[c + 1] += mo[c];
  std::vector<int32_t> members(static_cast<size_t>(mo[clusterCount])), cursor(mo.begin(), mo.end() - 1);
  for (int32_t t = 0; t < nodes; t++)
    if (clusterOf[t] >= 0) members[cursor[clusterOf[t]]++] = t;
  // A cluster's peel reads its own members' labels only (another cluster's member reads as that
  // cluster or -1, never as this one), so two ranges of clusters (about as many members each) peel
  // on two threads with the result of one pass. 15M planted graph: the peels took 12.4-14.8 s in
  // all, against 19.1-20.6 s on one thread.
  const int32_t mid = static_cast<int32_t>(splitHalf(mo, static_cast<size_t>(clusterCount), int64_t{1} << 12));
  bool changed;
  if (mid < clusterCount) {
    bool upperChanged = false;
    std::thread upper([&] { upperChanged = peelRange(g, mo, members, clusterOf, sizes, mid, clusterCount, threshold, weighted, only); });
    changed = peelRange(g, mo, members, clusterOf, sizes, 0, mid, threshold, weighted, only);
    upper.join();
    changed = changed || upperChanged;
  } else {
    changed = peelRange(g, mo, members, clusterOf, sizes, 0, clusterCount, threshold, weighted, only);
  }
  napi_value result;
  napi_get_boolean(env, changed, &result);
  return result;
}

// hardSupport for the words free when a reexpansion starts, from a copy of each one's row labels
// made at its first attempt. Within the reexpansion a label only goes from free to a cluster, so
// only the copy's free entries are read again: a free word meets clusters on many of its edges,
// and each attempt read every label of its row at random (15M planted graph: 4 s a round for the
// 2.5M edges of the later rounds; all rounds 40.5-45.5 s before the copies, 33.9 s with them).
class FreeRows {
 public:
  FreeRows(const Graph& g, const int32_t* clusterOf, int32_t nodes) : g_(g), clusterOf_(clusterOf), slot_(static_cast<size_t>(nodes), -1) {
    for (int32_t t = 0; t < nodes; t++) {
      if (clusterOf[t] >= 0) continue;
      slot_[t] = static_cast<int32_t>(start_.size());
      start_.push_back(total_);
      total_ += g.syn.offsets[t + 1] - g.syn.offsets[t];
    }
    filled_.assign(start_.size(), 0);
    // Not value-initialised: only the rows of the words that make an attempt become resident.
    labels_.reset(new int32_t[static_cast<size_t>(std::max<int64_t>(total_, 1))]);
  }

  // hardSupport(g, clusterOf, t, c, weighted) for a word free at the start: the same sum, in row order.
  double support(int32_t t, int32_t c, bool weighted) {
    const int32_t at = slot_[t];
    const int64_t from = g_.syn.offsets[t], to = g_.syn.offsets[t + 1];
    int32_t* labels = labels_.get() + start_[at];
    if (!filled_[at]) {
      for (int64_t h = from; h < to; h++) labels[h - from] = clusterOf_[g_.syn.targets[h]];
      filled_[at] = 1;
    } else {
      for (int64_t h = from; h < to; h++)
        if (labels[h - from] < 0) labels[h - from] = clusterOf_[g_.syn.targets[h]];
    }
    double s = 0;
    for (int64_t h = from; h < to; h++)
      if (labels[h - from] == c) s += weighted ? static_cast<double>(g_.syn.weights[h]) : 1;
    return s;
  }

 private:
  const Graph& g_;
  const int32_t* clusterOf_;
  std::vector<int32_t> slot_;
  std::vector<int64_t> start_;
  std::vector<uint8_t> filled_;
  std::unique_ptr<int32_t[]> labels_;
  int64_t total_ = 0;
};

// reexpandHard(offsets, targets, weights, cannotOffsets, cannotTargets, clusterOf, sizes, sizeLength, grown, grownLength,
//              src, dst, length, threshold, weighted, cannotLinks, maxClusterSize) -> [sizeLength, grownLength, changed]
// synograph.ts's `reexpandChunk` on its arrays in place: an edge between two free words opens a
// cluster of the two, an edge from a free word to a cluster adds it when its support / |C| passes
// the threshold (and no cannot-link forbids it). New clusters' sizes and the clusters that grew
// are appended at sizeLength and grownLength; the caller makes room: free / 2 sizes and free grown
// entries (a new cluster takes two free words, a join one).
napi_value reexpandHard(napi_env env, napi_callback_info info) {
  napi_value argv[17];
  const size_t argc = arguments(env, info, argv);
  Graph g;
  int32_t *clusterOf, *sizes, *grown;
  const int32_t *src, *dst;
  size_t n = 0, sizeCapacity = 0, grownCapacity = 0, srcLength = 0, dstLength = 0;
  int64_t sizeLength = 0, grownLength = 0, length = 0;
  double threshold = 0;
  bool weighted = false, cannotLinks = false;
  int32_t maxClusterSize = 0;
  bool ok = argc == 17 && typed(env, argv[5], napi_int32_array, &clusterOf, &n) && typed(env, argv[6], napi_int32_array, &sizes, &sizeCapacity) &&
            typed(env, argv[8], napi_int32_array, &grown, &grownCapacity) && typed(env, argv[10], napi_int32_array, const_cast<int32_t**>(&src), &srcLength) &&
            typed(env, argv[11], napi_int32_array, const_cast<int32_t**>(&dst), &dstLength) && napi_get_value_int64(env, argv[7], &sizeLength) == napi_ok &&
            napi_get_value_int64(env, argv[9], &grownLength) == napi_ok && napi_get_value_int64(env, argv[12], &length) == napi_ok &&
            napi_get_value_double(env, argv[13], &threshold) == napi_ok && napi_get_value_bool(env, argv[14], &weighted) == napi_ok &&
            napi_get_value_bool(env, argv[15], &cannotLinks) == napi_ok && napi_get_value_int32(env, argv[16], &maxClusterSize) == napi_ok;
  if (ok) {
    // graphOf's six arrays: synonyms, cannot-links, then a filter the pass does not read (clusterOf stands in).
    napi_value six[6] = {argv[0], argv[1], argv[2], argv[3], argv[4], argv[5]};
    ok = graphOf(env, six, static_cast<int32_t>(n), &g);
  }
  ok = ok && sizeLength >= 0 && static_cast<size_t>(sizeLength) <= sizeCapacity && grownLength >= 0 && static_cast<size_t>(grownLength) <= grownCapacity && length >= 0 &&
       static_cast<size_t>(length) <= srcLength && static_cast<size_t>(length) <= dstLength;
  if (!ok)
    return fail(env,
                "reexpandHard(offsets, targets, weights, cannotOffsets, cannotTargets, clusterOf, sizes, sizeLength, grown, grownLength, src, dst, length, "
                "threshold, weighted, cannotLinks, maxClusterSize): bad argument");
  const int32_t nodes = static_cast<int32_t>(n);
  if (!csrValid(g.syn, nodes, weighted) || !csrValid(g.cannot, nodes, false)) return fail(env, "reexpandHard: the graph's arrays do not form a CSR of clusterOf's nodes");
  int64_t free = 0;
  for (int32_t t = 0; t < nodes; t++) {
    if (clusterOf[t] < -1 || clusterOf[t] >= sizeLength) return fail(env, "reexpandHard: a node's cluster is not below sizeLength");
    free += clusterOf[t] < 0;
  }
  // Each new cluster takes two free words and each join one: room for that many, before anything changes.
  if (static_cast<int64_t>(sizeCapacity) - sizeLength < free / 2 || static_cast<int64_t>(grownCapacity) - grownLength < free)
    return fail(env, "reexpandHard: sizes and grown need room for the free words");
  for (int64_t k = 0; k < length; k++)
    if (src[k] < 0 || src[k] >= nodes || dst[k] < 0 || dst[k] >= nodes) return fail(env, "reexpandHard: an edge's endpoint is not a node");
  FreeRows rows(g, clusterOf, nodes);
  bool changed = false;
  for (int64_t k = 0; k < length; k++) {
    const int32_t u = src[k], v = dst[k];
    const int32_t cu = clusterOf[u], cv = clusterOf[v];
    if (cu >= 0 && cv >= 0) continue;
    if (cu < 0 && cv < 0) {
      if (cannotLinks && findInRow(g.cannot, u, v) >= 0) continue;
      const int32_t c = static_cast<int32_t>(sizeLength);
      sizes[sizeLength++] = 2;
      grown[grownLength++] = c;
      clusterOf[u] = c;
      clusterOf[v] = c;
      changed = true;
      continue;
    }
    const int32_t t = cu < 0 ? u : v;
    const int32_t c = cu < 0 ? cv : cu;
    const int32_t size = sizes[c];
    if (maxClusterSize > 0 && size >= maxClusterSize) continue;
    if (rows.support(t, c, weighted) / size <= threshold) continue;
    if (cannotLinks) {
      bool conflict = false;
      for (int64_t h = g.cannot.offsets[t], end = g.cannot.offsets[t + 1]; h < end && !conflict; h++) conflict = clusterOf[g.cannot.targets[h]] == c;
      if (conflict) continue;
    }
    clusterOf[t] = c;
    sizes[c]++;
    grown[grownLength++] = c;
    changed = true;
  }
  napi_value out;
  napi_create_array_with_length(env, 3, &out);
  napi_set_element(env, out, 0, number(env, static_cast<double>(sizeLength)));
  napi_set_element(env, out, 1, number(env, static_cast<double>(grownLength)));
  napi_value flag;
  napi_get_boolean(env, changed, &flag);
  napi_set_element(env, out, 2, flag);
  return out;
}

}  // namespace

void registerExpand(napi_env env, napi_value exports) {
  exportFunction(env, exports, "expandBegin", expandBegin);
  exportFunction(env, exports, "expandChunk", expandChunk);
  exportFunction(env, exports, "expandEnd", expandEnd);
  exportFunction(env, exports, "releaseLists", releaseLists);
  exportFunction(env, exports, "pruneSoft", pruneSoft);
  exportFunction(env, exports, "peelHard", peelHard);
  exportFunction(env, exports, "reexpandHard", reexpandHard);
}
