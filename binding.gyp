{
  "targets": [
    {
      "target_name": "synograph_kernel",
      "sources": ["native/addon.cc", "native/block.cc", "native/top-lists.cc", "native/sort-pairs.cc", "native/expand.cc", "native/csr.cc", "native/order.cc", "native/memory.cc", "native/result.cc", "native/relations.cc", "native/cooccurrence.cc", "native/row-kernels.cc", "native/builtin-encode.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-ffp-contract=off"]
    }
  ]
}
