// SPDX-License-Identifier: MIT
// memlog against Redis Streams on the same workload: 100-byte records, appended one by one.
//
//   write/memlog            Log::write, in process (the baseline)
//   write/redis_roundtrip   one XADD, then wait for its reply (what a naive client pays)
//   write/redis_pipelined   512 XADDs sent together, then their replies (what RedisMirror does)
//   write/mirror            Log::write of 512 records, until RedisMirror has them confirmed
//
// Read items_per_second side by side: the ratios say what moving a log out of the process
// costs (the mirror's figure is the end-to-end rate of records reaching Redis). The redis-server
// runs on this machine, on loopback, without persistence: the best case for Redis.
#include <benchmark/benchmark.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <memlog/redis/redis_mirror.hpp>

extern char** environ;

namespace {
constexpr std::size_t kPayload = 100;
constexpr int kPipeline = 512;
int g_port = 0;
pid_t g_server = -1;

redisContext* connect() {
  redisContext* c = redisConnect("127.0.0.1", g_port);
  if (!c || c->err) {
    std::fprintf(stderr, "memlog_redis_bench: cannot connect to redis-server on port %d\n", g_port);
    std::exit(1);
  }
  return c;
}

void flush(redisContext* c) { freeReplyObject(redisCommand(c, "FLUSHALL")); }

const std::string& payload() {
  static const std::string p(kPayload, 'x');
  return p;
}

void memlog_write(benchmark::State& state) {
  auto log = *memlog::Log::create({.segment_size = 100'000});
  for (auto _ : state) benchmark::DoNotOptimize(log->write(payload()));
  state.SetItemsProcessed(state.iterations());
}

void redis_roundtrip(benchmark::State& state) {
  redisContext* c = connect();
  flush(c);
  for (auto _ : state) {
    auto* reply = static_cast<redisReply*>(
        redisCommand(c, "XADD bench MAXLEN ~ 200000 * payload %b", payload().data(), payload().size()));
    freeReplyObject(reply);
  }
  state.SetItemsProcessed(state.iterations());
  redisFree(c);
}

void redis_pipelined(benchmark::State& state) {
  redisContext* c = connect();
  flush(c);
  for (auto _ : state) {
    for (int i = 0; i < kPipeline; ++i)
      redisAppendCommand(c, "XADD bench MAXLEN ~ 200000 * payload %b", payload().data(), payload().size());
    for (int i = 0; i < kPipeline; ++i) {
      void* reply = nullptr;
      redisGetReply(c, &reply);
      freeReplyObject(reply);
    }
  }
  state.SetItemsProcessed(state.iterations() * kPipeline);
  redisFree(c);
}

void mirror(benchmark::State& state) {
  redisContext* c = connect();
  flush(c);
  redisFree(c);
  auto log = *memlog::Log::create({.segment_size = 100'000});
  memlog::redis::RedisMirror mirror(log, {.host = "127.0.0.1", .port = g_port, .stream = "bench"});
  mirror.start();
  while (mirror.status().state != memlog::redis::MirrorState::mirroring)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  for (auto _ : state) {
    memlog::Offset last = -1;
    for (int i = 0; i < kPipeline; ++i) last = *log->write(payload());
    while (mirror.status().confirmed < last) std::this_thread::yield();
  }
  state.SetItemsProcessed(state.iterations() * kPipeline);
}

int free_port() {
  // Ports from a high range, checked by trying to connect: nothing should answer.
  for (int port = 47000 + getpid() % 1000; port < 49000; ++port) {
    redisContext* c = redisConnect("127.0.0.1", port);
    const bool taken = c && !c->err;
    redisFree(c);
    if (!taken) return port;
  }
  return 0;
}

bool start_server() {
  g_port = free_port();
  const std::string port = std::to_string(g_port);
  const char* argv[] = {"redis-server", "--port", port.c_str(), "--bind",  "127.0.0.1", "--save", "",
                        "--appendonly", "no",     "--loglevel", "warning", nullptr};
  if (posix_spawnp(&g_server, "redis-server", nullptr, nullptr, const_cast<char**>(argv), environ) != 0) return false;
  for (int i = 0; i < 500; ++i) {
    redisContext* c = redisConnect("127.0.0.1", g_port);
    const bool up = c && !c->err;
    redisFree(c);
    if (up) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}
}  // namespace

// Real time throughout: Redis work happens in another process, which CPU time would not count.
BENCHMARK(memlog_write)->Name("write/memlog")->UseRealTime();
BENCHMARK(redis_roundtrip)->Name("write/redis_roundtrip")->UseRealTime();
BENCHMARK(redis_pipelined)->Name("write/redis_pipelined")->UseRealTime();
BENCHMARK(mirror)->Name("write/mirror")->UseRealTime();

int main(int argc, char** argv) {
  if (!start_server()) {
    std::fprintf(stderr, "memlog_redis_bench: could not start redis-server (scripts/setup.sh installs it)\n");
    return 1;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  kill(g_server, SIGTERM);
  waitpid(g_server, nullptr, 0);
  return 0;
}
