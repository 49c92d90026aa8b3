// SPDX-License-Identifier: MIT
#include "feeds/feed_factory.hpp"

#include <memlog/redis/redis_feed.hpp>
#include <memlog/source/line_feeds.hpp>

#include "feeds/http_feed.hpp"

using memlog::feed::FeedSpec;

std::unique_ptr<memlog::feed::Feed> makeFeed(const FeedSpec& spec, std::shared_ptr<memlog::Log> log,
                                             std::chrono::milliseconds pollInterval) {
  switch (spec.kind) {
    case FeedSpec::Kind::standard_input:
      return memlog::feed::DescriptorFeed::standard_input(std::move(log));
    case FeedSpec::Kind::file:
      return std::make_unique<memlog::feed::FileFeed>(spec.target, std::move(log));
    case FeedSpec::Kind::http:
      return std::make_unique<HttpFeed>(QString::fromStdString(spec.target), std::move(log), pollInterval);
    case FeedSpec::Kind::redis:
      return std::make_unique<memlog::redis::RedisFeed>(std::move(log), spec.redis, spec.from);
  }
  return nullptr;
}
