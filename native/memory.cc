// adviseHugePages(typedArray) -> bytes advised: asks the kernel for transparent huge pages under
// the array's whole 2 MiB pages (madvise MADV_HUGEPAGE; a no-op where THP is off or unknown).
// Where THP is "madvise" (the default of Debian and Ubuntu) the clustering's big arrays were
// otherwise mapped 4 KiB at a time: page faults and TLB misses on every random read.
#include <node_api.h>

#include <cstdint>

#include "addon.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

size_t adviseHuge(void* data, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr uintptr_t PAGE = uintptr_t{1} << 21;  // a huge page, 2 MiB
  const uintptr_t from = (reinterpret_cast<uintptr_t>(data) + PAGE - 1) & ~(PAGE - 1);
  const uintptr_t to = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(PAGE - 1);
  if (to > from && madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE) == 0) return to - from;
#endif
  return 0;
}

namespace {

napi_value adviseHugePages(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  const size_t argc = arguments(env, info, argv);
  bool is = false;
  if (argc != 1 || napi_is_typedarray(env, argv[0], &is) != napi_ok || !is) return fail(env, "adviseHugePages(typedArray): bad argument");
  napi_typedarray_type type;
  size_t length, offset;
  void* data;
  napi_value buffer;
  napi_get_typedarray_info(env, argv[0], &type, &length, &data, &buffer, &offset);
  void* start;
  size_t byteLength;
  napi_get_arraybuffer_info(env, buffer, &start, &byteLength);
  return number(env, static_cast<double>(adviseHuge(start, byteLength)));
}

}  // namespace

void registerMemory(napi_env env, napi_value exports) { exportFunction(env, exports, "adviseHugePages", adviseHugePages); }
