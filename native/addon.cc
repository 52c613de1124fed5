// The addon's entry: block.cc (the scan's scores) and top-lists.cc (the scan's per-result offers).
#include "addon.h"

NAPI_MODULE_INIT() {
  registerBlock(env, exports);
  registerTopLists(env, exports);
  return exports;
}
