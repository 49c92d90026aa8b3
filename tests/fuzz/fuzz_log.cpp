// SPDX-License-Identifier: MIT
// libFuzzer target: decodes fuzz bytes into a log configuration and a sequence of operations,
// and runs them through the same interpreter as tst_log_model, checking memlog::Log against
// LogModel after every step. A discrepancy prints the shortest failing sequence and aborts.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>

#include "../reliability/log_operations.hpp"

using namespace log_operations;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider fuzz(data, size);
  const Config config{fuzz.ConsumeIntegralInRange<Offset>(0, 200), fuzz.ConsumeIntegralInRange<std::size_t>(1, 16),
                      fuzz.ConsumeIntegralInRange<std::size_t>(1, 100)};
  std::vector<Op> ops;
  while (fuzz.remaining_bytes() > 0 && ops.size() < 400) {
    Op op;
    op.kind = static_cast<Op::Kind>(fuzz.ConsumeIntegralInRange<int>(0, 5));
    op.target = static_cast<Target>(fuzz.ConsumeIntegralInRange<int>(0, 6));
    if (op.kind == Op::Kind::write) {
      op.a = fuzz.ConsumeIntegralInRange<std::int64_t>(0, static_cast<std::int64_t>(config.max_record_bytes) + 2);
      op.b = fuzz.ConsumeIntegral<std::int64_t>();
    } else {
      op.a = fuzz.ConsumeIntegralInRange<std::int64_t>(0, 1000);
      op.b = fuzz.ConsumeIntegralInRange<std::int64_t>(op.kind == Op::Kind::stream ? -1 : 0, 14);
    }
    ops.push_back(op);
  }
  if (const auto failure = run(ops, config)) {
    const std::vector<Op> shortest = shrink(ops, config);
    std::fprintf(stderr,
                 "memlog differs from the model: %s\nshortest failing sequence (start %lld, segment %zu, max %zu):\n",
                 failure->c_str(), static_cast<long long>(config.start), config.segment_size, config.max_record_bytes);
    for (const Op& op : shortest) std::fprintf(stderr, "  %s\n", describe(op).c_str());
    std::abort();
  }
  return 0;
}
