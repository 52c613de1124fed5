// The compiled parts (src/util/native-addon.ts): the candidate scan's, the relation scorer's and the clustering's loops; each file registers its functions.
#pragma once
#include <node_api.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

void registerBlock(napi_env env, napi_value exports);
void registerSortPairs(napi_env env, napi_value exports);
void registerExpand(napi_env env, napi_value exports);
void registerCsr(napi_env env, napi_value exports);
void registerOrder(napi_env env, napi_value exports);
void registerMemory(napi_env env, napi_value exports);
void registerResult(napi_env env, napi_value exports);
void registerRelations(napi_env env, napi_value exports);
void registerCooccurrence(napi_env env, napi_value exports);
void registerRowKernels(napi_env env, napi_value exports);
void registerBuiltinEncode(napi_env env, napi_value exports);

// exports[name] = a function calling `callback`.
inline void exportFunction(napi_env env, napi_value exports, const char* name, napi_callback callback) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, callback, nullptr, &fn);
  napi_set_named_property(env, exports, name, fn);
}

// The call's arguments into `argv` (missing ones undefined); returns how many were passed.
template <size_t N>
size_t arguments(napi_env env, napi_callback_info info, napi_value (&argv)[N]) {
  size_t argc = N;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  return argc;
}

// Throws a TypeError with `message`; returns the nullptr a callback then returns.
inline napi_value fail(napi_env env, const char* message) {
  napi_throw_type_error(env, nullptr, message);
  return nullptr;
}

// A new typed array of `length` elements of `type` (T each), its memory in *data; nullptr
// where it could not be made.
template <typename T>
napi_value newTypedArray(napi_env env, napi_typedarray_type type, size_t length, T** data) {
  void* raw;
  napi_value buffer, array;
  if (napi_create_arraybuffer(env, length * sizeof(T), &raw, &buffer) != napi_ok || napi_create_typedarray(env, type, length, buffer, 0, &array) != napi_ok) return nullptr;
  *data = static_cast<T*>(raw);
  return array;
}

// A JS number holding x.
inline napi_value number(napi_env env, double x) {
  napi_value out;
  napi_create_double(env, x, &out);
  return out;
}

// `value` as a typed array of type `want`: its data and length; false for anything else.
template <typename T>
bool typed(napi_env env, napi_value value, napi_typedarray_type want, T** data, size_t* length) {
  bool is = false;
  if (napi_is_typedarray(env, value, &is) != napi_ok || !is) return false;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  void* raw;
  napi_get_typedarray_info(env, value, &type, length, &raw, &buffer, &offset);
  *data = static_cast<T*>(raw);
  return type == want;
}

// Property `name` of `object` as a typed array of type `want` (typed's data and length), held by
// a reference added to `refs` for work that reads it after the call returns.
template <typename T>
bool heldProperty(napi_env env, napi_value object, const char* name, napi_typedarray_type want, T** data, size_t* length, std::vector<napi_ref>& refs) {
  napi_value value;
  if (napi_get_named_property(env, object, name, &value) != napi_ok || !typed(env, value, want, data, length)) return false;
  napi_ref ref;
  if (napi_create_reference(env, value, 1, &ref) != napi_ok) return false;
  refs.push_back(ref);
  return true;
}

// A CSR's offsets: Uint32Array, or Float64Array past 2^32 half-edges (graph.ts's Offsets).
struct Offsets {
  uint32_t* u32 = nullptr;
  double* f64 = nullptr;
  size_t length = 0;
  const void* data() const { return u32 != nullptr ? static_cast<const void*>(u32) : static_cast<const void*>(f64); }
  int64_t operator[](size_t i) const { return u32 != nullptr ? static_cast<int64_t>(u32[i]) : static_cast<int64_t>(f64[i]); }
  void set(size_t i, int64_t x) {
    if (u32 != nullptr) u32[i] = static_cast<uint32_t>(x);
    else f64[i] = static_cast<double>(x);
  }
  // Float64 offsets must be whole numbers in range before they are read as integers.
  bool whole() const {
    if (f64 != nullptr)
      for (size_t i = 0; i < length; i++)
        if (!(f64[i] >= 0 && f64[i] <= 9007199254740991.0 && f64[i] == std::floor(f64[i]))) return false;
    return true;
  }
};

// Offsets a loop may trust: whole numbers from 0, ascending, ending within `targets` and
// `weights` entries. Null, or what is wrong (csr.cc's passes check as they fill, not this).
inline const char* offsetsProblem(const Offsets& o, size_t targets, size_t weights) {
  const size_t n = o.length - 1;
  if (!o.whole() || o[0] != 0 || o[n] > static_cast<int64_t>(targets) || o[n] > static_cast<int64_t>(weights)) return "offsets do not fit the targets and weights";
  for (size_t u = 0; u < n; u++)
    if (o[u + 1] < o[u]) return "offsets out of order";
  return nullptr;
}

// Throws a TypeError "`where`: `problem`"; returns the nullptr a callback then returns.
inline napi_value fail(napi_env env, const char* where, const char* problem) { return fail(env, (std::string(where) + ": " + problem).c_str()); }

inline bool offsetsOf(napi_env env, napi_value value, Offsets* o) {
  if (typed(env, value, napi_uint32_array, &o->u32, &o->length)) return true;
  o->u32 = nullptr;
  if (typed(env, value, napi_float64_array, &o->f64, &o->length)) return true;
  o->f64 = nullptr;
  return false;
}

// Whether `value` is null or undefined (an optional array left out).
inline bool absent(napi_env env, napi_value value) {
  napi_valuetype type;
  return napi_typeof(env, value, &type) == napi_ok && (type == napi_null || type == napi_undefined);
}

// Prefetches the line at p into every cache level. GCC 12 at -O1 and above dropped
// __builtin_prefetch from expand.cc's loop (an address indexed by a signed 64-bit value: none was
// left in the object file, and the pass took 45-60 s instead of 21-23 s), so on x86-64 the
// instruction is written out.
inline void PF(const void* p) {
#if defined(__x86_64__)
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p);
#endif
}

// Where [0, n) splits into two ranges of about equal work, `prefix[i]` being the work before i (a
// CSR's offsets, a members-by-cluster prefix): the first index of the upper range, or n to run it
// all on the calling thread (one core, or less than minWork in all).
template <typename Prefix>
size_t splitHalf(const Prefix& prefix, size_t n, int64_t minWork) {
  const int64_t total = static_cast<int64_t>(prefix[n]);
  if (std::thread::hardware_concurrency() < 2 || n < 2 || total < minWork) return n;
  size_t lo = 0, hi = n;
  while (lo < hi) {
    const size_t m = (lo + hi) / 2;
    if (static_cast<int64_t>(prefix[m]) < total / 2) lo = m + 1;
    else hi = m;
  }
  return lo;
}

// Asks for transparent huge pages on [data, data + bytes)'s whole 2 MiB pages (memory.cc).
size_t adviseHuge(void* data, size_t bytes);

// std::allocator, but blocks of 4 MiB and more are 2 MiB-aligned with huge pages asked for: the
// clustering's lists are read at random, and 4 KiB pages cost a TLB miss on most of those reads.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr size_t HUGE_PAGE = size_t{1} << 21;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    void* p;
    if (bytes >= 2 * HUGE_PAGE) {
      const size_t rounded = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
      p = std::aligned_alloc(HUGE_PAGE, rounded);
      if (p != nullptr) adviseHuge(p, rounded);
    } else {
      p = std::malloc(bytes);
    }
    if (p == nullptr) std::abort();  // as std::allocator does where exceptions are off (node-gyp's default)
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t) { std::free(p); }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const { return true; }
  template <typename U>
  bool operator!=(const HugePageAllocator<U>&) const { return false; }
};
