// The candidates scan's top-k lists (src/candidates/top-lists.ts, `TopLists`' own arrays) and the
// offers a block's hits make to them (top-lists.cc), for block.cc's offering mode.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

// One pass's lists, rows lo .. hi - 1, and the rules ivf.ts's block callback applies.
struct ScanLists {
  float* s = nullptr;     // (hi - lo) x k scores, a min-heap a row
  int32_t* r = nullptr;   // their rows
  int32_t* n = nullptr;   // each list's length
  int k = 0;
  int32_t lo = 0, hi = 0;
  double floor = 0;       // the least score a list takes
  bool bothSides = false; // a row of the pass takes the score too
  bool across = false;    // hits whose row lies outside the pass go back to the caller
  const int32_t* probeList = nullptr;  // rows x probes: each row's cells
  size_t probeLength = 0;
  int32_t probes = 0;
};

// Why the lists and a block's `queries` / `rows` cannot be offered to (a message), or nullptr.
const char* scanListsProblem(const ScanLists& l, size_t listLength, size_t lengths, const int32_t* queries, size_t queryCount, const int32_t* rows, size_t rowCount);

// With both sides, which of a block's rows scan each query's home cell (block.cc's
// markScannedHomes): query position i's home is homeOf[i], and row position c scans it when bit c
// of rows[homeOf[i] * words ..] is set.
struct ScannedHomes {
  const int32_t* homeOf = nullptr;
  const uint32_t* rows = nullptr;
  size_t words = 0;
};

// One thread's share of a block's hits: positions into the block's queries and rows, query-major.
struct HitPart {
  const int32_t* query;
  const int32_t* row;
  const float* score;
  size_t count;
};

// Offers a block's hits (its parts in order) as ivf.ts's block callback does: to each hit's query
// and, with both sides, to its row unless the row scans the query's home cell. Several blocks offer
// to one pass's lists at once: a list's offers hold its stripe's lock, taken once for a run of them.
// Appends to `outside` the (part, position) of the hits left to the caller (only when `across`), in
// order.
void offerHits(ScanLists& l, const int32_t* queries, const int32_t* rows, int rowCount, const ScannedHomes& scanned, const std::vector<HitPart>& parts, std::vector<std::pair<size_t, size_t>>& outside);

// Offers waiting for this pass's rows (src/candidates/offers.ts), `count` records of three words
// (row, other row, score bits), each to its row's list under the row's stripe: so a pass's waiting
// offers go in on a kernel thread while its first blocks run, where ivf.ts offered them on the JS
// thread with both cores idle (26 s of 211M offers at 4.4M rows).
void offerRecords(ScanLists& l, const uint32_t* words, size_t count);
