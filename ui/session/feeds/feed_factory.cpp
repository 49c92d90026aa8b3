// SPDX-License-Identifier: MIT
#include "feeds/feed_factory.hpp"

#if MEMLOG_WITH_REDIS
#include <memlog/redis/redis_feed.hpp>
#endif
#include <memlog/source/line_feeds.hpp>

#include "feeds/http_feed.hpp"

using memlog::feed::FeedSpec;
using namespace Qt::StringLiterals;

QString noRedisSupport() {
  return u"this build of memlog-monitor has no Redis support (it was configured with -DMEMLOG_WITH_REDIS=OFF)"_s;
}

QString unsupportedFeed(const FeedSpec& spec) {
  if (spec.kind == FeedSpec::Kind::redis && !MEMLOG_WITH_REDIS) return noRedisSupport();
  return {};
}

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
#if MEMLOG_WITH_REDIS
      return std::make_unique<memlog::redis::RedisFeed>(std::move(log), spec.redis, spec.from);
#else
      break;  // refused by unsupportedFeed
#endif
  }
  return nullptr;
}
