{
  "targets": [
    {
      "target_name": "synograph_kernel",
      "sources": ["native/block.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-ffp-contract=off"]
    }
  ]
}
