// SPDX-License-Identifier: MIT
// RedisServer: a real redis-server for a test, on a free loopback port, without persistence
// (so a restart loses the data, as the gap-filling tests need). Also a small hiredis client.
//
// Started with posix_spawn, not QProcess: ThreadSanitizer does not allow fork() in a process
// that has threads, and the server's output goes to /dev/null so that a server outliving a
// crashed test never holds ctest's pipes open.
#pragma once

#include <hiredis/hiredis.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

class RedisServer {
 public:
  RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;
  ~RedisServer();  // kills the server (SIGKILL: nothing of it needs to survive)

  static bool installed();  // redis-server is on the PATH
  bool start();             // on port() (chosen once); true when it answers PING
  void stop();              // SIGTERM, waits for the process to end (SIGKILL after 5 s)
  bool restart();           // stop(), then start() on the same port: an empty server (no persistence)
  int port() const { return m_port; }
  std::string target(const std::string& stream) const;  // "127.0.0.1:PORT/STREAM"

 private:
  pid_t m_pid = -1;
  int m_port = 0;
};

struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyFree>;

// A blocking client for checking what the stream holds.
class RedisClient {
 public:
  explicit RedisClient(int port);
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;
  ~RedisClient();
  bool ok() const { return m_context && !m_context->err; }
  ReplyPtr command(const std::vector<std::string>& args);

  struct Entry {
    std::string id;
    std::vector<std::pair<std::string, std::string>> fields;
    std::string field(const std::string& name) const;
  };
  std::vector<Entry> range(const std::string& stream);  // XRANGE stream - +

 private:
  redisContext* m_context = nullptr;
};
