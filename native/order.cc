// One chunk of the paper's edge order (src/cluster/order.ts, `sortChunk`) compiled: the chunk's
// edges u < v collected in (u, v) order with their keys (~ the weight's bits), then a stable LSD
// radix sort by key in 11/11/10-bit digits, a digit all share skipped. Stable, so the same order
// as the JS's (tested). On the 1M planted graph (one chunk of 32M edges) the JS took 1.5 s to
// collect and 2.9 s to sort.
//
//   orderChunk(offsets, targets, bits, ids | null, above | null, chunk, key0, key1, src0, src1, dst0, dst1)
//       -> 2 * length + side (the side, 0 or 1, whose buffers hold the sorted chunk)
//   orderChunkBegin(the same twelve) -> handle; orderChunkEnd(handle) -> the same number
//       (the chunk sorted on a thread of its own in between)
//   orderHistogram, orderChunkIds: the two passes that plan the chunks (below)
//
// `bits` is the weights' Int32 view; with `ids` (each edge's chunk, Uint8/16/32Array) only the
// edges of `chunk` are taken, row u's edges above u starting at above[u].
#include <node_api.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "addon.h"

namespace {

constexpr int SHIFT[3] = {0, 11, 22};
constexpr uint32_t MASK[3] = {0x7ff, 0x7ff, 0x3ff};
constexpr size_t BUCKETS = 1 << 11;

struct Buffers {
  int32_t* key[2];
  int32_t* src[2];
  int32_t* dst[2];
  size_t length = 0;
};

struct Ids {
  const uint8_t* u8 = nullptr;
  const uint16_t* u16 = nullptr;
  const uint32_t* u32 = nullptr;
  size_t length = 0;
  uint32_t operator[](size_t e) const { return u8 != nullptr ? u8[e] : u16 != nullptr ? u16[e] : u32[e]; }
};

bool idsOf(napi_env env, napi_value value, Ids* ids) {
  uint8_t* p8;
  uint16_t* p16;
  uint32_t* p32;
  if (typed(env, value, napi_uint8_array, &p8, &ids->length)) ids->u8 = p8;
  else if (typed(env, value, napi_uint16_array, &p16, &ids->length)) ids->u16 = p16;
  else if (typed(env, value, napi_uint32_array, &p32, &ids->length)) ids->u32 = p32;
  else return false;
  return true;
}

inline void push(Buffers& b, size_t n, int32_t k, int32_t u, int32_t v, std::vector<size_t>* hist) {
  b.key[0][n] = k;
  b.src[0][n] = u;
  b.dst[0][n] = v;
  const uint32_t x = static_cast<uint32_t>(k);
  for (int d = 0; d < 3; d++) hist[d][(x >> SHIFT[d]) & MASK[d]]++;
}

// One chunk's work: its arguments, read on the JS thread, and what the sort found.
struct Job {
  Offsets offsets, above;
  int32_t* targets = nullptr;
  int32_t* bits = nullptr;
  size_t targetCount = 0, bitCount = 0;
  Ids ids;
  bool withIds = false;
  int64_t chunk = 0;
  Buffers b;
  size_t count = 0;
  int side = 0;
  std::string error;
};

// The twelve arguments into `job`; false when one is not what orderChunk takes.
bool read(napi_env env, napi_value (&argv)[12], size_t argc, Job* job) {
  Buffers& b = job->b;
  bool ok = argc == 12 && offsetsOf(env, argv[0], &job->offsets) && job->offsets.length > 0 &&
            typed(env, argv[1], napi_int32_array, &job->targets, &job->targetCount) && typed(env, argv[2], napi_int32_array, &job->bits, &job->bitCount) &&
            napi_get_value_int64(env, argv[5], &job->chunk) == napi_ok;
  job->withIds = ok && !absent(env, argv[3]);
  if (job->withIds) ok = idsOf(env, argv[3], &job->ids) && offsetsOf(env, argv[4], &job->above) && job->above.length + 1 == job->offsets.length;
  for (int i = 0; ok && i < 6; i++) {
    int32_t* p;
    size_t length;
    ok = typed(env, argv[6 + i], napi_int32_array, &p, &length);
    if (!ok) break;
    if (i == 0 || length < b.length) b.length = length;
    (i < 2 ? b.key : i < 4 ? b.src : b.dst)[i % 2] = p;
  }
  return ok;
}

// What every pass here checks before it reads: the weights' bits as long as the targets, the
// offsets (addon.h), and each row's start above u within its row. Null, or what is wrong.
const char* csrProblem(const Offsets& offsets, size_t targetCount, size_t bitCount, const Offsets* above) {
  if (bitCount < targetCount || (above != nullptr && !above->whole())) return "offsets do not fit the targets and weights";
  if (const char* problem = offsetsProblem(offsets, targetCount, bitCount)) return problem;
  if (above != nullptr)
    for (size_t u = 0; u + 1 < offsets.length; u++)
      if ((*above)[u] < offsets[u] || (*above)[u] > offsets[u + 1]) return "offsets out of order";
  return nullptr;
}

// Checks, collects and sorts; touches no JS value, so it may run off the JS thread. Sets job->error on failure.
void run(Job& job) {
  const Offsets &offsets = job.offsets, &above = job.above;
  const int32_t *targets = job.targets, *bits = job.bits;
  const bool withIds = job.withIds;
  Buffers& b = job.b;
  const size_t n = offsets.length - 1;
  if (const char* problem = csrProblem(offsets, job.targetCount, job.bitCount, withIds ? &above : nullptr)) {
    job.error = std::string("orderChunk: ") + problem;
    return;
  }

  std::vector<size_t> hist[3] = {std::vector<size_t>(BUCKETS), std::vector<size_t>(BUCKETS), std::vector<size_t>(BUCKETS)};
  size_t count = 0;
  const char* tooMany = "orderChunk: more edges than the buffers hold";
  if (!withIds) {
    for (size_t u = 0; u < n; u++) {
      const int32_t su = static_cast<int32_t>(u);
      for (int64_t h = offsets[u], end = offsets[u + 1]; h < end; h++) {
        const int32_t v = targets[h];
        if (v <= su) continue;
        if (count == b.length) {
          job.error = tooMany;
          return;
        }
        push(b, count++, ~bits[h], su, v, hist);
      }
    }
  } else {
    size_t e = 0;
    for (size_t u = 0; u < n; u++) {
      const int64_t start = above[u], end = offsets[u + 1];
      if (e + static_cast<size_t>(end - start) > job.ids.length) {
        job.error = "orderChunk: fewer chunk ids than edges";
        return;
      }
      for (int64_t h = start; h < end; h++, e++) {
        if (job.ids[e] != static_cast<uint64_t>(job.chunk)) continue;
        if (count == b.length) {
          job.error = tooMany;
          return;
        }
        push(b, count++, ~bits[h], static_cast<int32_t>(u), targets[h], hist);
      }
    }
  }

  int side = 0;
  for (int d = 0; d < 3; d++) {
    std::vector<size_t>& c = hist[d];
    const int32_t* key = b.key[side];
    if (count == 0 || c[(static_cast<uint32_t>(key[0]) >> SHIFT[d]) & MASK[d]] == count) continue;
    std::vector<size_t> at(BUCKETS);
    size_t sum = 0;
    for (size_t i = 0; i < BUCKETS; i++) {
      at[i] = sum;
      sum += c[i];
    }
    const int32_t *src = b.src[side], *dst = b.dst[side];
    const int other = 1 - side;
    int32_t *key2 = b.key[other], *src2 = b.src[other], *dst2 = b.dst[other];
    for (size_t i = 0; i < count; i++) {
      const int32_t k = key[i];
      const size_t to = at[(static_cast<uint32_t>(k) >> SHIFT[d]) & MASK[d]]++;
      key2[to] = k;
      src2[to] = src[i];
      dst2[to] = dst[i];
    }
    side = other;
  }
  job.count = count;
  job.side = side;
}

const char* USAGE = "orderChunk(offsets, targets, bits, ids, above, chunk, key0, key1, src0, src1, dst0, dst1): bad argument";

napi_value result(napi_env env, const Job& job) {
  if (!job.error.empty()) return fail(env, job.error.c_str());
  return number(env, 2.0 * static_cast<double>(job.count) + job.side);
}

napi_value orderChunk(napi_env env, napi_callback_info info) {
  napi_value argv[12];
  const size_t argc = arguments(env, info, argv);
  Job job;
  if (!read(env, argv, argc, &job)) return fail(env, USAGE);
  run(job);
  return result(env, job);
}

// A chunk sorted on its own thread while the JS thread goes on (order.ts sorts the next chunk
// while the expansion reads this one). The arrays are held by references until the end, so
// they outlive the thread whatever JS drops; JS must not write them meanwhile.
struct Background {
  Job job;
  std::thread thread;
  napi_ref refs[12] = {};
  bool ended = false;
};

void release(napi_env env, Background* bg) {
  if (bg->thread.joinable()) bg->thread.join();
  for (napi_ref& ref : bg->refs)
    if (ref != nullptr) {
      napi_delete_reference(env, ref);
      ref = nullptr;
    }
}

void finalize(napi_env env, void* data, void*) {
  Background* bg = static_cast<Background*>(data);
  release(env, bg);
  delete bg;
}

napi_value orderChunkBegin(napi_env env, napi_callback_info info) {
  napi_value argv[12];
  const size_t argc = arguments(env, info, argv);
  Background* bg = new Background();
  if (!read(env, argv, argc, &bg->job)) {
    delete bg;
    return fail(env, USAGE);
  }
  for (size_t i = 0; i < 12; i++)
    if (!absent(env, argv[i]) && i != 5) napi_create_reference(env, argv[i], 1, &bg->refs[i]);
  napi_value handle;
  if (napi_create_external(env, bg, finalize, nullptr, &handle) != napi_ok) {
    release(env, bg);
    delete bg;
    return fail(env, "orderChunkBegin: could not make its handle");
  }
  bg->thread = std::thread([bg] { run(bg->job); });
  return handle;
}

napi_value orderChunkEnd(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  void* data = nullptr;
  napi_valuetype type;
  if (arguments(env, info, argv) != 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_external || napi_get_value_external(env, argv[0], &data) != napi_ok)
    return fail(env, "orderChunkEnd(handle): not a handle from orderChunkBegin");
  Background* bg = static_cast<Background*>(data);
  if (bg->ended) return fail(env, "orderChunkEnd: this chunk was already ended");
  release(env, bg);
  bg->ended = true;
  return result(env, bg->job);
}

// orderHistogram(offsets, targets, bits, hist) -> edges u < v, each counted in hist (65,536
// numbers) by its key's high 16 bits: planChunks' first pass (order.ts).
napi_value orderHistogram(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  Offsets offsets;
  int32_t *targets, *bits;
  double* hist;
  size_t targetCount, bitCount, histLength;
  if (arguments(env, info, argv) != 4 || !offsetsOf(env, argv[0], &offsets) || offsets.length == 0 || !typed(env, argv[1], napi_int32_array, &targets, &targetCount) ||
      !typed(env, argv[2], napi_int32_array, &bits, &bitCount) || !typed(env, argv[3], napi_float64_array, &hist, &histLength) || histLength != 65536)
    return fail(env, "orderHistogram(offsets, targets, bits, hist): bad argument");
  if (const char* problem = csrProblem(offsets, targetCount, bitCount, nullptr)) return fail(env, "orderHistogram", problem);
  const size_t n = offsets.length - 1;
  std::vector<uint64_t> counts(65536, 0);
  uint64_t total = 0;
  for (size_t u = 0; u < n; u++) {
    const int32_t su = static_cast<int32_t>(u);
    for (int64_t h = offsets[u], end = offsets[u + 1]; h < end; h++) {
      if (targets[h] <= su) continue;
      counts[static_cast<uint32_t>(~bits[h]) >> 16]++;
      total++;
    }
  }
  for (size_t d = 0; d < 65536; d++) hist[d] += static_cast<double>(counts[d]);
  return number(env, static_cast<double>(total));
}

// orderChunkIds(offsets, targets, bits, bounds, ids, above): each edge u < v's chunk (the last
// bound at or below its key) into ids, in (u, v) order, and where each row's edges above u start
// into above: chunkIds (order.ts).
napi_value orderChunkIds(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  Offsets offsets, above;
  int32_t *targets, *bits;
  double* bounds;
  size_t targetCount, bitCount, boundCount;
  Ids ids;
  if (arguments(env, info, argv) != 6 || !offsetsOf(env, argv[0], &offsets) || offsets.length == 0 || !typed(env, argv[1], napi_int32_array, &targets, &targetCount) ||
      !typed(env, argv[2], napi_int32_array, &bits, &bitCount) || !typed(env, argv[3], napi_float64_array, &bounds, &boundCount) || boundCount < 2 ||
      !idsOf(env, argv[4], &ids) || !offsetsOf(env, argv[5], &above) || above.length + 1 != offsets.length)
    return fail(env, "orderChunkIds(offsets, targets, bits, bounds, ids, above): bad argument");
  if (const char* problem = csrProblem(offsets, targetCount, bitCount, nullptr)) return fail(env, "orderChunkIds", problem);
  const size_t n = offsets.length - 1;
  const size_t chunkCount = boundCount - 1;
  const uint64_t most = ids.u8 != nullptr ? 0xff : ids.u16 != nullptr ? 0xffff : 0xffffffffu;
  if (chunkCount - 1 > most) return fail(env, "orderChunkIds: more chunks than the ids can number");
  uint8_t* u8 = const_cast<uint8_t*>(ids.u8);
  uint16_t* u16 = const_cast<uint16_t*>(ids.u16);
  uint32_t* u32 = const_cast<uint32_t*>(ids.u32);
  size_t e = 0;
  for (size_t u = 0; u < n; u++) {
    const int32_t su = static_cast<int32_t>(u);
    const int64_t end = offsets[u + 1];
    int64_t h = offsets[u];
    while (h < end && targets[h] <= su) h++;
    above.set(u, h);
    if (e + static_cast<size_t>(end - h) > ids.length) return fail(env, "orderChunkIds: fewer ids than edges");
    for (; h < end; h++, e++) {
      const double k = static_cast<double>(static_cast<uint32_t>(~bits[h]));
      size_t lo = 0, hi = chunkCount - 1;
      while (lo < hi) {
        const size_t mid = (lo + hi + 1) >> 1;
        if (bounds[mid] <= k) lo = mid;
        else hi = mid - 1;
      }
      if (u8 != nullptr) u8[e] = static_cast<uint8_t>(lo);
      else if (u16 != nullptr) u16[e] = static_cast<uint16_t>(lo);
      else u32[e] = static_cast<uint32_t>(lo);
    }
  }
  return nullptr;
}

}  // namespace

void registerOrder(napi_env env, napi_value exports) {
  exportFunction(env, exports, "orderChunk", orderChunk);
  exportFunction(env, exports, "orderChunkBegin", orderChunkBegin);
  exportFunction(env, exports, "orderChunkEnd", orderChunkEnd);
  exportFunction(env, exports, "orderHistogram", orderHistogram);
  exportFunction(env, exports, "orderChunkIds", orderChunkIds);
}
