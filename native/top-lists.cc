// The candidates scan's per-result loop (src/candidates/ivf.ts, `TopLists` and the block's
// callback): each score a block found is offered to its query's top-k list and, with both sides,
// to its row's. The same heaps and rules as TopLists, on the JS lists' own arrays. At 928k terms
// this loop was 31 s of the scan's main thread in JS (447M hits); compiled, the scan took 55-61 s
// instead of 66 s. block.cc now runs it on the kernel's thread, as each block finishes (offering
// mode), so the JS thread neither offers nor receives the hits. At 928k rows the scan took 39.3 s
// offering on the JS thread, 36.8 and 33.3 s offering here with 3 blocks queued, 30.9-31.1 s with 8.
#include <cstdint>
#include <cstring>
#include <mutex>
#include <vector>

#include "top-lists.h"

namespace {

// a is worse than b: a lower score, or the same score and a higher row id (TopLists.worse).
inline bool worse(float sa, int32_t ra, float sb, int32_t rb) { return sa < sb || (sa == sb && ra > rb); }

// TopLists.offer: a binary min-heap per list, the worst at the root.
void offer(ScanLists& l, int q, int32_t row, float score) {
  const int k = l.k;
  float* s = l.s + static_cast<size_t>(q) * k;
  int32_t* r = l.r + static_cast<size_t>(q) * k;
  const int len = l.n[q];
  if (len < k) {
    int i = len;
    while (i > 0) {
      const int parent = (i - 1) >> 1;
      if (!worse(score, row, s[parent], r[parent])) break;
      s[i] = s[parent];
      r[i] = r[parent];
      i = parent;
    }
    s[i] = score;
    r[i] = row;
    // The JS thread reads the lists' bars while blocks offer (TopLists.bar: the floor until the
    // list is full, then its root). So the length grows only once the heap is whole: a bar read
    // meanwhile is the floor, never a root about to be replaced by a lower one, which would hold
    // back scores the list takes. After it, a root only rises (the sift below moves up the lesser
    // child, the root it ends with).
    __atomic_store_n(l.n + q, len + 1, __ATOMIC_RELEASE);
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

// A list's offers hold stripes[list % STRIPES]: several blocks offer to one pass's lists at once, and
// two of them meet at a list only by chance. Lists keep the same k best whatever the order of
// their offers (a total order on (score, row)); only the heap's layout may differ.
constexpr size_t STRIPES = 4096;
std::mutex stripes[STRIPES];

// A row-side offer: the block's row (its position), the query, the score.
struct RowOffer {
  int32_t at;
  int32_t query;
  float score;
};

}  // namespace

const char* scanListsProblem(const ScanLists& l, size_t listLength, size_t lengths, const int32_t* queries, size_t queryCount, const int32_t* rows, size_t rowCount) {
  if (l.k <= 0 || l.probes <= 0) return "block: the offer's k and probes must be positive";
  if (static_cast<int64_t>(l.hi) - l.lo != static_cast<int64_t>(lengths) || listLength != lengths * static_cast<size_t>(l.k)) return "block: the offer's lists do not hold hi - lo rows of k";
  for (size_t i = 0; i < queryCount; i++)
    if (queries[i] < l.lo || queries[i] >= l.hi || static_cast<size_t>(queries[i]) * l.probes >= l.probeLength) return "block: a query lies outside the offer's pass or its probes";
  for (size_t i = 0; i < rowCount; i++)
    if (rows[i] < 0 || static_cast<size_t>(rows[i]) * l.probes >= l.probeLength) return "block: a row lies outside the offer's probes";
  return nullptr;
}

void offerRecords(ScanLists& l, const uint32_t* words, size_t count) {
  for (size_t i = 0; i < count; i++) {
    const int32_t row = static_cast<int32_t>(words[3 * i]);
    float score;
    std::memcpy(&score, words + 3 * i + 2, sizeof score);
    std::lock_guard<std::mutex> hold(stripes[static_cast<size_t>(row - l.lo) % STRIPES]);
    offer(l, row - l.lo, static_cast<int32_t>(words[3 * i + 1]), score);
  }
}

void offerHits(ScanLists& l, const int32_t* queries, const int32_t* rows, int rowCount, const ScannedHomes& scanned, const std::vector<HitPart>& parts, std::vector<std::pair<size_t, size_t>>& outside) {
  const int32_t lo = l.lo, hi = l.hi;
  const double floor = l.floor;
  std::vector<RowOffer> rowOffers;
  for (size_t part = 0; part < parts.size(); part++) {
    const HitPart& h = parts[part];
    for (size_t from = 0, to; from < h.count; from = to) {
      // A run of one query's hits: its list's offers under one hold of its stripe.
      const int32_t at = h.query[from];
      const int32_t query = queries[at];
      for (to = from + 1; to < h.count && h.query[to] == at;) to++;
      {
        std::lock_guard<std::mutex> hold(stripes[static_cast<size_t>(query - lo) % STRIPES]);
        for (size_t i = from; i < to; i++) {
          const int32_t row = rows[h.row[i]];
          if (row != query && static_cast<double>(h.score[i]) >= floor) offer(l, query - lo, row, h.score[i]);
        }
      }
      if (!l.bothSides) continue;
      // The row takes the score too, unless it scans the query's cell itself (so it scores the
      // pair itself); a row outside the pass gets it from the caller.
      const uint32_t* scans = scanned.rows + static_cast<size_t>(scanned.homeOf[at]) * scanned.words;
      for (size_t i = from; i < to; i++) {
        const int32_t row = rows[h.row[i]];
        if (row == query || static_cast<double>(h.score[i]) < floor || (scans[h.row[i] / 32] >> (h.row[i] % 32) & 1)) continue;
        if (row >= lo && row < hi) rowOffers.push_back({h.row[i], query, h.score[i]});
        else if (l.across) outside.emplace_back(part, i);
      }
    }
  }
  // Each row's offers (in hit order) under one hold of its stripe.
  std::vector<uint32_t> start(static_cast<size_t>(rowCount) + 1, 0);
  for (const RowOffer& o : rowOffers) start[o.at + 1]++;
  for (int i = 0; i < rowCount; i++) start[i + 1] += start[i];
  std::vector<RowOffer> byRow(rowOffers.size());
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  for (const RowOffer& o : rowOffers) byRow[next[o.at]++] = o;
  for (int i = 0; i < rowCount; i++) {
    if (start[i] == start[i + 1]) continue;
    const int32_t row = rows[i];
    std::lock_guard<std::mutex> hold(stripes[static_cast<size_t>(row - lo) % STRIPES]);
    for (uint32_t j = start[i]; j < start[i + 1]; j++) offer(l, row - lo, byRow[j].query, byRow[j].score);
  }
}
