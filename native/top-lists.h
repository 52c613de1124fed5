// The candidates scan's top-k lists (src/candidates/top-lists.ts, `TopLists`' own arrays) and the
// offers a block's hits make to them (top-lists.cc), for block.cc's offering mode.
#pragma once
#include <cstddef>
#include <cstdint>
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

// Offers `count` hits (positions into queries and rows) in order, as ivf.ts's block callback does;
// appends to `outside` the positions of the hits left to the caller (only when `across`).
void offerHits(ScanLists& l, const int32_t* queries, const int32_t* rows, const int32_t* hitQuery, const int32_t* hitRow, const float* hitScore, size_t count, std::vector<size_t>& outside);
