// SPDX-License-Identifier: MIT
// Connection: one hiredis connection with RAII, timeouts, pipelining and errors as messages
// that name the server. A broken connection throws memlog::SessionError; an error *reply*
// (WRONGTYPE, a rejected ID) is a value the caller inspects.
#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace memlog::redis::detail {

struct ReplyFree {
  void operator()(redisReply* reply) const noexcept { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyFree>;

inline std::string_view text_of(const redisReply* reply) {
  return reply && reply->str ? std::string_view(reply->str, reply->len) : std::string_view();
}
inline bool is_error(const redisReply* reply) { return reply && reply->type == REDIS_REPLY_ERROR; }

class Connection {
 public:
  // Connects within `timeout`; replies are then awaited up to `reply_timeout` each.
  Connection(const std::string& host, int port, std::chrono::milliseconds timeout,
             std::chrono::milliseconds reply_timeout);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Sends one command and waits for its reply.
  Reply command(const std::vector<std::string_view>& args);
  // Pipelining: queue commands, then take their replies in order.
  void append(const std::vector<std::string_view>& args);
  Reply reply();

  const std::string& address() const noexcept { return address_; }

 private:
  [[noreturn]] void fail(std::string_view doing);

  redisContext* context_ = nullptr;
  std::chrono::milliseconds reply_timeout_;
  std::string address_;
  std::vector<const char*> argv_;
  std::vector<std::size_t> argvlen_;
  bool unsent_ = false;  // commands appended that hiredis has not written yet
};

}  // namespace memlog::redis::detail
