// The addon's entry: block.cc (the scan's scores), top-lists.cc (the scan's per-result offers) and
// sort-pairs.cc (a range's raw pairs into the stored order); the clustering's: csr.cc (the graph's build),
// order.cc (the edge order's chunks), expand.cc (expansion, vote, peel and reexpansion), result.cc (the result's scan); memory.cc (huge pages for big arrays); relations.cc (the relation model's pair logits); cooccurrence.cc, row-kernels.cc and builtin-encode.cc (the builtin embedder's count, SVD products and sums).
#include "addon.h"

NAPI_MODULE_INIT() {
  registerBlock(env, exports);
  registerSortPairs(env, exports);
  registerExpand(env, exports);
  registerCsr(env, exports);
  registerOrder(env, exports);
  registerMemory(env, exports);
  registerResult(env, exports);
  registerRelations(env, exports);
  registerCooccurrence(env, exports);
  registerRowKernels(env, exports);
  registerBuiltinEncode(env, exports);
  return exports;
}
