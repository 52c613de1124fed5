// The candidates' raw pairs of one range of rows sorted into the stored order (src/candidates/
// raw-pairs.ts, `dedupePairs`): (a, b) ascending, a pair found twice kept once with its higher
// score. The same result as the JS, from the spilled file's interleaved records (a, b, score bits)
// without unpacking them first. At 928k terms the JS unpack and sort took 19 s (profiled); the
// stage's pairs step, which also spills the raw pairs, went from 18-21 s to 13-14 s.
// sortPairsStart sorts a range on a thread of its own, so that the next range is sorted while the
// stage writes this one (raw-pairs.ts `chunks`); sortPairsTake waits for it and hands it over as
// { a: Uint32Array, b: Uint32Array, cosine: Float32Array }.
// The range's buffers ask for huge pages before they are first written (memory.cc): on this VM a
// fresh 4 KiB page costs a fault of ~12 us (3.5 s a GiB), and at 928k terms the stage's pairs step
// (mostly waiting for the first range's sort) took 2.9-3.1 s so, 8.3 s before (with the range's
// read, raw-pairs.ts).
#include <node_api.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include "addon.h"

namespace {

struct Pair {
  uint32_t b;
  float score;
};

// One range's sorted pairs: a and b ascending, each pair once with its higher score.
struct Sorted {
  std::vector<uint32_t> perRow;
  std::vector<Pair> pairs;
  size_t count = 0;
  int64_t base = 0;
  const char* error = nullptr;
};

// Bucket by a (a counting pass), then sort each bucket by b and merge its duplicates.
void sortRange(const uint32_t* words, size_t count, int64_t rows, int64_t base, Sorted& out) {
  out.base = base;
  std::vector<uint32_t> offsets(static_cast<size_t>(rows) + 1, 0);
  for (size_t i = 0; i < count; i++) {
    const int64_t x = static_cast<int64_t>(words[3 * i]) - base;
    if (x < 0 || x >= rows) {
      out.error = "sortPairs: a pair's row a lies outside the range";
      return;
    }
    offsets[x + 1]++;
  }
  for (int64_t x = 0; x < rows; x++) offsets[x + 1] += offsets[x];
  std::vector<uint32_t> cursor(offsets.begin(), offsets.end() - 1);
  std::vector<Pair>& pairs = out.pairs;
  pairs.reserve(count);
  adviseHuge(pairs.data(), count * sizeof(Pair));  // before resize touches it
  pairs.resize(count);
  for (size_t i = 0; i < count; i++) {
    Pair& p = pairs[cursor[words[3 * i] - base]++];
    p.b = words[3 * i + 1];
    std::memcpy(&p.score, &words[3 * i + 2], 4);
  }
  out.perRow.assign(static_cast<size_t>(rows), 0);
  size_t w = 0;
  for (int64_t x = 0; x < rows; x++) {
    Pair* from = pairs.data() + offsets[x];
    Pair* to = pairs.data() + offsets[x + 1];
    std::sort(from, to, [](const Pair& p, const Pair& q) { return p.b < q.b; });
    const size_t start = w;
    for (Pair* p = from; p < to; p++) {
      if (w > start && pairs[w - 1].b == p->b) {
        if (p->score > pairs[w - 1].score) pairs[w - 1].score = p->score;
        continue;
      }
      pairs[w++] = *p;
    }
    out.perRow[x] = static_cast<uint32_t>(w - start);
  }
  out.count = w;
}

// { a: Uint32Array, b: Uint32Array, cosine: Float32Array } of a sorted range, or a thrown error.
napi_value sortedResult(napi_env env, const Sorted& sorted) {
  if (sorted.error != nullptr) return fail(env, sorted.error);
  const size_t w = sorted.count;
  uint32_t* aOut = nullptr;
  uint32_t* bOut = nullptr;
  float* cOut = nullptr;
  napi_value a = newTypedArray(env, napi_uint32_array, w, &aOut);
  napi_value b = newTypedArray(env, napi_uint32_array, w, &bOut);
  napi_value cosine = newTypedArray(env, napi_float32_array, w, &cOut);
  if (a == nullptr || b == nullptr || cosine == nullptr) return fail(env, "sortPairs: could not allocate the sorted pairs");
  adviseHuge(aOut, w * 4), adviseHuge(bOut, w * 4), adviseHuge(cOut, w * 4);
  size_t at = 0;
  for (size_t x = 0; x < sorted.perRow.size(); x++)
    for (uint32_t j = 0; j < sorted.perRow[x]; j++) aOut[at++] = static_cast<uint32_t>(sorted.base + static_cast<int64_t>(x));
  for (size_t i = 0; i < w; i++) bOut[i] = sorted.pairs[i].b, cOut[i] = sorted.pairs[i].score;
  napi_value result;
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "a", a);
  napi_set_named_property(env, result, "b", b);
  napi_set_named_property(env, result, "cosine", cosine);
  return result;
}

// A sort's arguments (words: Uint32Array, rows, base).
struct SortArguments {
  napi_value array;
  const uint32_t* words;
  size_t length;
  int64_t rows, base;
};

// The call's sort arguments into `a`; false for a bad one.
bool sortArguments(napi_env env, napi_callback_info info, SortArguments& a) {
  napi_value argv[3];
  const size_t argc = arguments(env, info, argv);
  a.array = argv[0];
  return argc == 3 && typed(env, argv[0], napi_uint32_array, const_cast<uint32_t**>(&a.words), &a.length) && a.length % 3 == 0 &&
         napi_get_value_int64(env, argv[1], &a.rows) == napi_ok && napi_get_value_int64(env, argv[2], &a.base) == napi_ok && a.rows >= 0 && a.base >= 0;
}

// A range sorted on a thread of its own while the caller writes the range before it.
struct SortJob {
  std::thread thread;
  napi_ref words = nullptr;  // keeps the records alive while the thread reads them
  Sorted sorted;
  bool taken = false;
};

const napi_type_tag SORT_JOB_TAG = {0x3c9e51a7d4b20f68ULL, 0xa1f7306e95c4d2b3ULL};

// A job the caller dropped without taking: its thread is waited for before it is freed.
void dropJob(napi_env env, void* data, void*) {
  SortJob* job = static_cast<SortJob*>(data);
  if (job->thread.joinable()) job->thread.join();
  if (job->words != nullptr) napi_delete_reference(env, job->words);
  delete job;
}

// sortPairsStart(words: Uint32Array, rows, base): a job for sortPairsTake; the sort runs on a thread.
napi_value sortPairsStart(napi_env env, napi_callback_info info) {
  SortArguments a;
  if (!sortArguments(env, info, a)) return fail(env, "sortPairsStart(words: Uint32Array, rows, base): bad argument");
  SortJob* job = new SortJob();
  napi_value handle;
  if (napi_create_reference(env, a.array, 1, &job->words) != napi_ok || napi_create_external(env, job, dropJob, nullptr, &handle) != napi_ok) {
    if (job->words != nullptr) napi_delete_reference(env, job->words);
    delete job;
    return fail(env, "sortPairsStart: could not hold the records");
  }
  napi_type_tag_object(env, handle, &SORT_JOB_TAG);
  job->thread = std::thread([job, a] { sortRange(a.words, a.length / 3, a.rows, a.base, job->sorted); });
  return handle;
}

// sortPairsTake(job): the job's sorted pairs, { a, b, cosine } (waits for its thread).
napi_value sortPairsTake(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  const size_t argc = arguments(env, info, argv);
  bool tagged = false;
  void* data = nullptr;
  if (argc != 1 || napi_check_object_type_tag(env, argv[0], &SORT_JOB_TAG, &tagged) != napi_ok || !tagged || napi_get_value_external(env, argv[0], &data) != napi_ok || data == nullptr)
    return fail(env, "sortPairsTake(job): a job of sortPairsStart expected");
  SortJob* job = static_cast<SortJob*>(data);
  if (job->taken) return fail(env, "sortPairsTake: this job was taken already");
  job->thread.join();
  job->taken = true;
  napi_delete_reference(env, job->words);
  job->words = nullptr;
  napi_value result = sortedResult(env, job->sorted);
  job->sorted = Sorted();
  return result;
}

}  // namespace

void registerSortPairs(napi_env env, napi_value exports) {
  exportFunction(env, exports, "sortPairsStart", sortPairsStart);
  exportFunction(env, exports, "sortPairsTake", sortPairsTake);
}
