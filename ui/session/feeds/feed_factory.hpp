// SPDX-License-Identifier: MIT
// The one place that turns a source name (memlog::feed::FeedSpec) into a feed writing into a
// log: the command line and the source panel both come through here.
#pragma once

#include <QString>

#include <chrono>
#include <memory>

#include <memlog/source/feed.hpp>
#include <memlog/source/feed_spec.hpp>

// Why this build cannot read `spec` — a Redis stream in a build without Redis — or an empty
// string. The command line and FeedController::open ask before making a feed.
QString unsupportedFeed(const memlog::feed::FeedSpec& spec);
// What a build without Redis says when asked for a Redis source or the mirror.
QString noRedisSupport();

// A feed for `spec`, which must be supported (see unsupportedFeed). `pollInterval` is how often
// an http: source asks its endpoint for new elements.
std::unique_ptr<memlog::feed::Feed> makeFeed(const memlog::feed::FeedSpec& spec, std::shared_ptr<memlog::Log> log,
                                             std::chrono::milliseconds pollInterval);
