// The addon's entry: block.cc (the scan's scores), top-lists.cc (the scan's per-result offers) and
// sort-pairs.cc (a range's raw pairs into the stored order); expand.cc (the clustering's expansion pass).
#include "addon.h"

NAPI_MODULE_INIT() {
  registerBlock(env, exports);
  registerTopLists(env, exports);
  registerSortPairs(env, exports);
  registerExpand(env, exports);
  return exports;
}
