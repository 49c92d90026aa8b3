// SPDX-License-Identifier: MIT
// memlog against Redis Streams on the same workload: 100-byte records, appended one by one.
//
//   BM_MemlogWrite             Log::write, in process (the baseline)
//   BM_RedisXaddRoundTrip      one XADD, then wait for its reply (what a naive client pays)
//   BM_RedisXaddPipelined/512  512 XADDs sent together, then their replies (what RedisMirror does)
//   BM_MirrorEndToEnd          Log::write of 512 records, until RedisMirror has them confirmed
//
// How to read it: compare items_per_second. memlog / round trip is what moving each append out
// of the process costs; memlog / pipelined is the best a batching client gets from Redis; the
// mirror's figure is the end-to-end rate at which records reach Redis (the writer itself still
// pays only BM_MemlogWrite's cost: the mirror reads on its own thread). Above that rate a
// mirrored log lags. The redis-server runs on this machine, on loopback, without persistence:
// Redis's best case. Real time throughout: Redis works in another process.
#include <benchmark/benchmark.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX's kill(), which <csignal> need not declare
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
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

void stop_server() {
  if (g_server <= 0) return;
  kill(g_server, SIGTERM);
  waitpid(g_server, nullptr, 0);
  g_server = -1;
}

redisContext* connect() {
  redisContext* c = redisConnect("127.0.0.1", g_port);
  if (!c || c->err) {
    std::fprintf(stderr, "memlog_redis_bench: cannot connect to redis-server on port %d: %s\n", g_port,
                 c ? c->errstr : "out of memory");
    // NOLINTNEXTLINE(concurrency-mt-unsafe): the benchmarks run on the main thread, before a mirror starts
    std::exit(1);  // atexit stops the server
  }
  return c;
}

void flush(redisContext* c) { freeReplyObject(redisCommand(c, "FLUSHALL")); }

const std::string& payload() {
  static const std::string p(kPayload, 'x');
  return p;
}

void BM_MemlogWrite(benchmark::State& state) {
  auto log = *memlog::Log::create({.segment_size = 100'000});
  for (auto _ : state) benchmark::DoNotOptimize(log->write(payload()));
  state.SetItemsProcessed(state.iterations());
}

void BM_RedisXaddRoundTrip(benchmark::State& state) {
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

void BM_RedisXaddPipelined(benchmark::State& state) {
  const auto batch = static_cast<int>(state.range(0));
  redisContext* c = connect();
  flush(c);
  for (auto _ : state) {
    for (int i = 0; i < batch; ++i)
      redisAppendCommand(c, "XADD bench MAXLEN ~ 200000 * payload %b", payload().data(), payload().size());
    for (int i = 0; i < batch; ++i) {
      void* reply = nullptr;
      redisGetReply(c, &reply);
      freeReplyObject(reply);
    }
  }
  state.SetItemsProcessed(state.iterations() * batch);
  redisFree(c);
}

void BM_MirrorEndToEnd(benchmark::State& state) {
  redisContext* c = connect();
  flush(c);
  redisFree(c);
  auto log = *memlog::Log::create({.segment_size = 100'000});
  memlog::redis::RedisMirror mirror(log, {.host = "127.0.0.1", .port = g_port, .stream = "bench"});
  mirror.start();
  while (mirror.status().state != memlog::WorkerState::running)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  for (auto _ : state) {
    memlog::Offset last = -1;
    for (int i = 0; i < kPipeline; ++i) last = *log->write(payload());
    // Not spinning: on a small machine a spinning waiter takes a core from the mirror or Redis.
    while (mirror.status().confirmed < last) std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  state.SetItemsProcessed(state.iterations() * kPipeline);
}

// A free loopback port: bound to port 0, the kernel picks one; closed again for the server.
int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    port = ntohs(address.sin_port);
  close(fd);
  return port;
}

bool start_server() {
  g_port = free_port();
  if (g_port == 0) return false;
  const std::string port = std::to_string(g_port);
  const char* argv[] = {"redis-server", "--port", port.c_str(), "--bind",  "127.0.0.1", "--save", "",
                        "--appendonly", "no",     "--loglevel", "warning", nullptr};
  if (posix_spawnp(&g_server, "redis-server", nullptr, nullptr, const_cast<char**>(argv), environ) != 0) {
    g_server = -1;
    return false;
  }
  std::atexit(stop_server);
  for (int i = 0; i < 500; ++i) {
    if (waitpid(g_server, nullptr, WNOHANG) == g_server) {  // exited: not installed, or the port taken
      g_server = -1;
      return false;
    }
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
BENCHMARK(BM_MemlogWrite)->UseRealTime();
BENCHMARK(BM_RedisXaddRoundTrip)->UseRealTime();
BENCHMARK(BM_RedisXaddPipelined)->Arg(kPipeline)->UseRealTime();
BENCHMARK(BM_MirrorEndToEnd)->UseRealTime();

// Not benchmark_main: the server must be up before the first benchmark and stopped at exit.
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (!start_server()) {
    std::fprintf(stderr,
                 "memlog_redis_bench: could not start redis-server on a free loopback port "
                 "(is it installed? scripts/setup.sh installs it)\n");
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  stop_server();
  return 0;
}
