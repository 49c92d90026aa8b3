// SPDX-License-Identifier: MIT
#include <memlog/source/sharder_spec.hpp>

#include <unordered_set>

namespace memlog::shard {

std::string SharderSpec::text() const {
  if (kind == Kind::fnv) return "fnv";
  std::string text = "keys:";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) text += ',';
    text += keys[i];
  }
  return text;
}

std::shared_ptr<const Sharder> SharderSpec::make() const {
  if (kind == Kind::fnv) return std::make_shared<FnvSharder>();
  return std::make_shared<KeySharder>(keys);
}

std::expected<SharderSpec, std::string> parse_sharder_spec(std::string_view text) {
  const std::string shown(text.substr(0, 80));
  if (text == "fnv") return SharderSpec{};
  constexpr std::string_view kKeys = "keys:";
  if (!text.starts_with(kKeys))
    return std::unexpected("'" + shown + "' is not a sharder: use fnv or keys:K1,K2,... (a key list)");
  SharderSpec spec{SharderSpec::Kind::keys, {}};
  std::unordered_set<std::string_view> seen;
  std::string_view rest = text.substr(kKeys.size());
  for (;;) {
    const std::size_t comma = rest.find(',');
    const std::string_view key = rest.substr(0, comma);
    if (key.empty()) return std::unexpected("the key list '" + shown + "' has an empty key");
    if (!seen.insert(key).second)
      return std::unexpected("the key list '" + shown + "' names '" + std::string(key.substr(0, 80)) + "' twice");
    spec.keys.emplace_back(key);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return spec;
}

std::expected<void, std::string> check_sharder(const SharderSpec& spec, std::size_t shards) {
  if (spec.kind == SharderSpec::Kind::keys && spec.keys.size() > shards)
    return std::unexpected("the key list has " + std::to_string(spec.keys.size()) + " keys for " +
                           std::to_string(shards) + " shards: a key list needs a shard per key");
  return {};
}

}  // namespace memlog::shard
