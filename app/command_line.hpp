// SPDX-License-Identifier: MIT
// The command line of memlog-monitor, parsed by a pure function so tests can table-drive it.
#pragma once

#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <optional>

#include <memlog/log.hpp>
#include <memlog/source/legacy_source.hpp>

#include "shards/sharding_options.hpp"
#include "theme/theme.hpp"

struct MonitorOptions {
  memlog::Options log;                // segment size, max record bytes, start offset
  memlog::sim::SourceOptions source;  // kind, seed, rate
  QString feed;                       // a real source ("stdin", "file:PATH", ...) instead of the simulation
  int pollMs = 1000;                  // how often an http: source polls
  QString mirror;                     // --mirror: "redis:HOST:PORT/STREAM" (empty = no mirror)
  ShardingOptions sharding;           // --shards, --shard-key, --sharder (not sharded by default)
  QString lesson;                     // --lesson NAME|FILE: start in that lesson (its setup wins over the rest)
  int consumers = 2;
  QString screenshot;     // save a PNG of the window, then (with quitAfter) quit
  double quitAfter = 0;   // seconds; 0 = run until closed
  QString serveAddress;   // --serve: where the HTTP API listens (empty = not served)
  quint16 servePort = 0;  // HTTP on this port, the WebSocket stream on the next one
  bool headless = false;  // no window: source, log (and server) only
  bool present = false;   // --present: start in presenter mode
  // --theme: light or dark set the Fusion style and its palette; system follows the desktop.
  Theme::Scheme theme = Theme::Scheme::system;
  // Which values were given on the command line (they override the remembered settings).
  bool hasSegmentSize = false, hasMaxRecordBytes = false, hasStartOffset = false, hasRate = false, hasSource = false,
       hasSeed = false, hasConsumers = false, hasKeySkew = false,
       hasSharding = false;  // --shards, --shard-key or --sharder
};

struct CommandLine {
  enum class Action { run, help, version, error, listLessons };
  Action action = Action::run;
  MonitorOptions options;
  QString text;  // the help or version text, or a one-line error message
};

// Parses `arguments` (argv, program name first). Malformed or out-of-range values give
// Action::error with a one-line message naming the option and what it accepts.
CommandLine parseCommandLine(const QStringList& arguments);
