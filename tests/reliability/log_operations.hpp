// SPDX-License-Identifier: MIT
// The operation interpreter shared by tst_log_model (random sequences) and the libFuzzer
// target (sequences decoded from fuzz bytes): operations on memlog::Log, each checked against
// LogModel; a failing sequence can be shrunk to the shortest that still fails. No Qt.
#pragma once

#include <chrono>
#include <climits>
#include <optional>
#include <random>
#include <sstream>
#include <stop_token>
#include <string>
#include <vector>

#include "log_model.hpp"

namespace log_operations {

using memlog::Errc;
using memlog::Offset;

// Where an operation points, resolved against the model's state when it runs (so a sequence
// keeps its meaning when the shrinker removes operations before it).
enum class Target { retained, future, next, negative, int64_max, int64_min, before_earliest };

struct Op {
  enum class Kind { write, read, read_batch, range, stats, stream } kind;
  Target target = Target::retained;
  std::int64_t a = 0;  // write: payload size; read/batch/stream: position within the target
  std::int64_t b = 0;  // write: payload seed; batch: out size; stream: records to read (-1: past deadline)
};

inline std::string describe(const Op& op) {
  static const char* kinds[] = {"write", "read", "read_batch", "range", "stats", "stream"};
  static const char* targets[] = {"retained",  "future",    "next",           "negative",
                                  "INT64_MAX", "INT64_MIN", "before_earliest"};
  std::ostringstream out;
  out << kinds[static_cast<int>(op.kind)];
  if (op.kind == Op::Kind::write)
    out << "(size " << op.a << ")";
  else if (op.kind != Op::Kind::range && op.kind != Op::Kind::stats)
    out << "(" << targets[static_cast<int>(op.target)] << " +" << op.a << ", " << op.b << ")";
  return out.str();
}

inline std::string payload_of(std::int64_t size, std::int64_t seed) {
  std::string payload(static_cast<std::size_t>(size), '\0');
  std::uint64_t x = static_cast<std::uint64_t>(seed) * 0x9E3779B97F4A7C15ull + 1;
  for (char& c : payload) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    c = static_cast<char>(x);  // any byte, NUL included
  }
  return payload;
}

inline Offset resolve(Target target, std::int64_t a, const LogModel& model) {
  const Offset span = model.next() - model.earliest() + 1;
  switch (target) {
    case Target::retained:
      return model.earliest() + a % span;
    case Target::future:
      return model.next() + a;
    case Target::next:
      return model.next();
    case Target::negative:
      return -1 - a;
    case Target::int64_max:
      return INT64_MAX;
    case Target::int64_min:
      return INT64_MIN;
    case Target::before_earliest:
      return model.earliest() - 1 - a;
  }
  return 0;
}

struct Config {
  Offset start;
  std::size_t segment_size;
  std::size_t max_record_bytes;
};

inline std::vector<Op> generate(std::mt19937_64& rng, const Config& config, int count) {
  std::vector<Op> ops;
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  const auto max = static_cast<std::int64_t>(config.max_record_bytes);
  for (int i = 0; i < count; ++i) {
    Op op;
    const int roll = pick(100);
    if (roll < 50) {
      op.kind = Op::Kind::write;
      switch (pick(8)) {
        case 0:
          op.a = 0;
          break;  // empty_record
        case 1:
          op.a = max + 1 + pick(3);
          break;  // record_too_large
        case 2:
          op.a = max;
          break;  // exactly the limit
        case 3:
          op.a = std::min<std::int64_t>(max, 39 + pick(4));
          break;  // around the inline limit
        default:
          op.a = 1 + pick(static_cast<int>(std::min<std::int64_t>(max, 64)));
      }
      op.b = static_cast<std::int64_t>(rng() >> 1);
    } else {
      op.kind = roll < 70   ? Op::Kind::read
                : roll < 82 ? Op::Kind::read_batch
                : roll < 88 ? Op::Kind::range
                : roll < 94 ? Op::Kind::stats
                            : Op::Kind::stream;
      const int t = pick(20);
      op.target = t < 12 ? Target::retained : static_cast<Target>(1 + (t - 12) % 6);
      op.a = pick(1000);
      op.b = op.kind == Op::Kind::read_batch ? pick(14) : op.kind == Op::Kind::stream ? pick(8) - 1 : 0;
    }
    ops.push_back(op);
  }
  return ops;
}

inline std::string record_mismatch(const memlog::Record& record, const LogModel::Entry& entry) {
  if (record.offset() != entry.offset)
    return "offset " + std::to_string(record.offset()) + " != " + std::to_string(entry.offset);
  if (record.text() != entry.payload) return "payload differs at offset " + std::to_string(entry.offset);
  return {};
}

// Runs `ops` on a fresh log and model; the first discrepancy, described, or nullopt.
inline std::optional<std::string> run(const std::vector<Op>& ops, const Config& config) {
  auto created = memlog::Log::create(
      {.start_offset = config.start, .segment_size = config.segment_size, .max_record_bytes = config.max_record_bytes});
  if (!created) return "create failed";
  auto log = *created;
  LogModel model(config.start, config.segment_size, config.max_record_bytes);
  auto fail = [](std::size_t step, const std::string& what) {
    return std::optional<std::string>("step " + std::to_string(step) + ": " + what);
  };

  for (std::size_t step = 0; step < ops.size(); ++step) {
    const Op& op = ops[step];
    switch (op.kind) {
      case Op::Kind::write: {
        const std::string payload = payload_of(op.a, op.b);
        const auto expected = model.write(payload);
        const auto got = log->write(payload);
        if (expected.has_value() != got.has_value()) return fail(step, "write success differs");
        if (expected ? *expected != *got : expected.error() != got.error()) return fail(step, "write result differs");
        break;
      }
      case Op::Kind::read: {
        const Offset offset = resolve(op.target, op.a, model);
        std::error_code error;
        const LogModel::Entry* entry = model.read(offset, error);
        const auto got = log->read(offset);
        if ((entry != nullptr) != got.has_value())
          return fail(step, "read success differs at " + std::to_string(offset));
        if (entry != nullptr) {
          if (auto why = record_mismatch(*got, *entry); !why.empty()) return fail(step, "read: " + why);
        } else if (got.error() != error) {
          return fail(step, "read error " + got.error().message() + " != " + error.message());
        }
        break;
      }
      case Op::Kind::read_batch: {
        const Offset from = resolve(op.target, op.a, model);
        std::vector<memlog::Record> out(static_cast<std::size_t>(op.b));
        const memlog::BatchResult got = log->read_batch(from, out);
        std::size_t want = 0;
        std::error_code want_error;
        if (!out.empty()) {
          std::error_code first;
          if (model.read(from, first) == nullptr) {
            want_error = first;
          } else {
            want = std::min<std::size_t>(out.size(), static_cast<std::size_t>(model.next() - from));
            if (want < out.size()) want_error = make_error_code(Errc::future_offset);
          }
        }
        if (got.count != want || got.error != want_error)
          return fail(step, "read_batch(" + std::to_string(from) + ", " + std::to_string(out.size()) + ") gave {" +
                                std::to_string(got.count) + ", " + got.error.message() + "}");
        for (std::size_t i = 0; i < got.count; ++i) {
          std::error_code ignored;
          if (auto why = record_mismatch(out[i], *model.read(from + static_cast<Offset>(i), ignored)); !why.empty())
            return fail(step, "read_batch: " + why);
        }
        break;
      }
      case Op::Kind::range:
        if (!(log->range() == model.range())) return fail(step, "range differs");
        break;
      case Op::Kind::stats: {
        const memlog::Stats got = log->stats();
        const memlog::Stats want = model.stats();
        if (got.next_offset != want.next_offset || !(got.range == want.range) ||
            got.segment_size != want.segment_size || got.active_records != want.active_records ||
            got.history_records != want.history_records || got.active_bytes != want.active_bytes ||
            got.history_bytes != want.history_bytes || got.records_written != want.records_written ||
            got.records_purged != want.records_purged || got.segments_sealed != want.segments_sealed ||
            got.purges != want.purges)
          return fail(step, "stats differ");
        // The memory bound: two segments of 64-byte slots, plus shared payload blocks.
        const std::size_t bound = 2 * config.segment_size * (64 + 16 + config.max_record_bytes);
        if (got.memory_bytes > bound) return fail(step, "memory_bytes over the bound");
        break;
      }
      case Op::Kind::stream: {
        const Offset start = resolve(op.target, op.a, model);
        std::stop_source stop;
        if (op.b < 0) {  // a deadline already passed: ends before reading anything
          auto stream =
              log->stream(start, stop.get_token(), std::chrono::steady_clock::now() - std::chrono::seconds(1));
          if (stream.next() || stream.error() != Errc::deadline_exceeded)
            return fail(step, "stream ignored its deadline");
          break;
        }
        auto stream = log->stream(start, stop.get_token());
        Offset position = start;
        for (std::int64_t i = 0; i < op.b && position < model.next(); ++i, ++position) {
          std::error_code error;
          const LogModel::Entry* entry = model.read(position, error);
          auto record = stream.next();
          if (entry == nullptr) {  // out_of_range: the stream must end with it
            if (record || stream.error() != error) return fail(step, "stream did not end with " + error.message());
            break;
          }
          if (!record) return fail(step, "stream ended early: " + stream.error().message());
          if (auto why = record_mismatch(*record, *entry); !why.empty()) return fail(step, "stream: " + why);
        }
        if (stream.ended()) break;
        stop.request_stop();
        if (stream.next() || stream.error() != Errc::cancelled) return fail(step, "stream not cancelled by its stop");
        if (stream.next()) return fail(step, "stream gave a record after it ended");
        break;
      }
    }
  }
  return std::nullopt;
}

// Removes operations one at a time while the sequence still fails: the shortest failing
// sequence a greedy pass finds.
inline std::vector<Op> shrink(std::vector<Op> ops, const Config& config) {
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = ops.size(); i-- > 0;) {
      std::vector<Op> fewer = ops;
      fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(i));
      if (run(fewer, config)) {
        ops = std::move(fewer);
        changed = true;
      }
    }
  }
  return ops;
}

}  // namespace log_operations
