// SPDX-License-Identifier: MIT
// sharded: a ShardedLog spreads records over many independent logs by key.
//
// Each shard is a full memlog::Log with its own offsets, segments and purges. The sharder
// maps a key to a shard index; the default, FnvSharder, is Go memlog's: FNV-1a 32 of the key,
// shard = abs(int32(hash) % int32(shards)). So the same key always lands on the same shard
// (its records stay in order there), and on the same index as in Go memlog.
#include <memlog/memlog.hpp>

#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace {

void expect(bool ok, std::string_view what) {
  if (!ok) {
    std::cerr << "sharded: FAILED: " << what << '\n';
    std::exit(1);
  }
}

std::span<const std::byte> bytes(std::string_view s) { return std::as_bytes(std::span{s.data(), s.size()}); }

}  // namespace

int main() {
  // 8 shards of segments of 100 records each; no sharder given: FnvSharder.
  auto created = memlog::ShardedLog::create({.shards = 8, .log = {.segment_size = 100}});
  expect(created.has_value(), "ShardedLog::create");
  const std::shared_ptr<memlog::ShardedLog> sharded = *created;

  // Three readings per sensor, interleaved. Remember where each went.
  const std::vector<std::string> keys{"sensor-1", "sensor-2", "sensor-3", "sensor-4", "sensor-5"};
  std::map<std::string, std::vector<memlog::Offset>> offsets;  // key -> offsets in its shard
  for (int round = 0; round < 3; ++round) {
    for (const std::string& key : keys) {
      const auto offset = sharded->write(key, key + " reading " + std::to_string(round));
      expect(offset.has_value(), "write");
      offsets[key].push_back(*offset);
    }
  }

  // Same key, same shard: shard_of() is a pure function of the key (and the shard count).
  const memlog::FnvSharder fnv;
  for (const std::string& key : keys) {
    const auto shard = sharded->shard_of(key);
    expect(shard.has_value(), "shard_of");
    expect(sharded->shard_of(key) == shard, "the same key maps to the same shard every time");
    expect(fnv.shard(bytes(key), 8) == shard, "ShardedLog uses the FnvSharder by default");
    std::cout << key << " -> shard " << *shard << ", offsets";
    // Its records are in that shard, in the order written; read(key, offset) finds them.
    for (std::size_t round = 0; round < 3; ++round) {
      const memlog::Offset offset = offsets[key][round];
      const std::string expected = key + " reading " + std::to_string(round);
      const auto record = sharded->read(key, offset);
      expect(record && record->text() == expected, "read(key, offset) gives the record back");
      const auto direct = sharded->shard(*shard).read(offset);
      expect(direct && direct->text() == expected, "the record is in the key's shard");
      if (round > 0) expect(offset > offsets[key][round - 1], "a key's records keep their order");
      std::cout << ' ' << offset;
    }
    std::cout << '\n';
  }

  // Every shard is an independent log with its own offsets: the records of all keys sharing a
  // shard are numbered from 0 there. Each shard can be streamed on its own via shard_ptr().
  std::size_t total = 0;
  for (std::size_t i = 0; i < sharded->shard_count(); ++i) {
    const memlog::Stats stats = sharded->shard(i).stats();
    total += stats.records_written;
    if (stats.records_written > 0) std::cout << "shard " << i << ": " << stats.records_written << " records\n";
  }
  expect(total == keys.size() * 3, "every record is in exactly one shard");

  // The same index as Go memlog: FNV-1a 32("a") = 0xe40c292c; as int32 that is -468965076,
  // and -468965076 % 8 == -4 in Go (and C++), abs -> shard 4.
  expect(memlog::FnvSharder::hash(bytes("a")) == 0xe40c292cU, "FNV-1a 32 of \"a\"");
  expect(sharded->shard_of("a") == 4U, "key \"a\" is shard 4 of 8, as in Go memlog");
  std::cout << "key \"a\" -> shard " << *sharded->shard_of("a") << " of 8, as in Go memlog\n";

  // Keys are checked: an empty key is invalid_key.
  const auto empty = sharded->write("", "no key");
  expect(!empty && empty.error() == memlog::Errc::invalid_key, "an empty key is invalid_key");
  std::cout << "write with an empty key -> error: " << empty.error().message() << '\n';
  std::cout << "sharded: ok\n";
  return 0;
}
