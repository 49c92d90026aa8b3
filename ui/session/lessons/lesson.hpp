// SPDX-License-Identifier: MIT
// Lesson: a guided tour played on the live log, as data (docs/lessons.md is the schema and an
// authoring guide). A lesson sets the log up (its setup: segment size, shards, source,
// consumers), then plays steps: each narrates (rich text), acts on the live log (actions),
// points at what it talks about (a highlight) and may wait until what it describes has really
// happened (a condition on the live state, with a timeout and a hint).
//
// parseLesson() refuses a broken file — bad JSON, an unknown action or field, a highlight of
// something that does not exist, a condition that can never hold — with one message naming the
// file, the step and what is wrong.
//
// Threading: plain values and pure functions.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

#include <memlog/options.hpp>
#include <memlog/source/consumer.hpp>
#include <memlog/source/legacy_source.hpp>

#include "shards/sharding_options.hpp"

// An action on the live log (LessonPlayer::apply).
struct LessonAction {
  enum class Kind {
    source,           // kind, rate, bursts, payload size, key skew, running (start/pause)
    step,             // write `records` records now
    add_consumer,     // name, pace, start (earliest, latest, offset), offset, shard
    remove_consumer,  // name
    resume_consumer,  // name, from (earliest, checkpoint)
    crash_and_replay,
    reconfigure,        // segment_size, max_record_bytes (a single log: replaced through the adapter)
    show_shard,         // shard: shown in the segments picture and the table
    open_compare,       // segment_size: compare mode, a second log fed the same records (CompareSession)
    start_server,       // the log served over HTTP and WebSocket on loopback (LogServer)
    add_client,         // name, start (earliest, latest): a WebSocket client following the log
    disconnect_client,  // name: it goes away (its next offset kept)
    reconnect_client,   // name: it comes back, from its next offset
    start_redis,        // the lesson's own Redis (redis-server) starts, or starts again (its data kept)
    stop_redis,         // ... stops: Redis is down
    start_mirror,       // the log mirrored into a stream of the lesson's Redis
  };
  Kind kind = Kind::source;
  QJsonObject args;  // the action's fields, checked by parseLesson
};

// A WebSocket client's figures a condition waits for (LessonCondition::client).
struct ClientCondition {
  QString name;
  std::optional<qint64> receivedAtLeast;  // records received since the step began
  std::optional<qint64> caughtUp;         // connected, its next offset within this of the log's
  std::optional<qint64> lostAtLeast;      // records the purge took before it read them (in all)
  std::optional<bool> connected;
};

// The Redis mirror's figures a condition waits for (LessonCondition::mirror).
struct MirrorCondition {
  std::optional<qint64> sentAtLeast;  // records confirmed by Redis since the step began
  std::optional<qint64> caughtUp;     // mirroring, at most this many records not yet in Redis
  std::optional<qint64> lostAtLeast;  // records that never reached Redis (in all)
  std::optional<qint64> lostAtMost;
  QString state;  // "mirroring" or "retrying" (Redis cannot be reached)
};

// What a step waits for; every field given must hold at once. Counts are since the step began.
struct LessonCondition {
  // Which log the counts and the consumer are of: the monitor's, or compare mode's second log.
  enum class On { log, compare };
  On on = On::log;
  std::optional<qint64> records;                    // at least this many records written
  std::optional<qint64> seals;                      // at least this many seals (over all shards)
  std::optional<qint64> purges;                     // at least this many purges (over all shards)
  QString consumer;                                 // a consumer by name, with:
  std::optional<memlog::sim::ConsumerState> state;  // ... its state
  std::optional<qint64> lagAtLeast;                 // ... its lag at least this
  std::optional<qint64> caughtUp;                   // ... its lag at most this (and running)
  bool replayed = false;                            // a crash and replay happened
  QString key;                                      // a record with this key is in...
  std::optional<int> shard;                         // ... this shard
  std::optional<double> skewAtLeast;                // the busiest shard over the mean
  std::optional<ClientCondition> client;
  std::optional<MirrorCondition> mirror;
  std::vector<LessonCondition> also;  // an 'until' list: these must hold at the same time
  bool empty() const;
  QString describe() const;  // "consumer slow fell behind", for --headless and the panel
};

struct LessonStep {
  QString title;
  QString narration;  // rich text
  std::vector<LessonAction> actions;
  QString highlight;  // see lesson_highlight.hpp; empty = none
  std::optional<LessonCondition> wait;
  int timeoutSeconds = 60;
  QString hint;  // shown when the condition has not held after the timeout
};

struct Lesson {
  QString name;  // "slow-consumer"
  QString title;
  QString summary;
  QString file;  // where it came from (":/lessons/x.json" for a built-in)
  // The setup the lesson starts from.
  memlog::Options log;
  memlog::sim::SourceOptions source;
  ShardingOptions sharding;
  bool sourceRunning = true;
  std::vector<LessonStep> steps;
};

// Parses and checks a lesson; nullopt with one message ("FILE: step 3 (Title): what is wrong").
std::optional<Lesson> parseLesson(const QByteArray& json, const QString& file, QString* error);
// The built-in lessons (from the resources), in teaching order.
std::vector<Lesson> builtInLessons(QString* error = nullptr);
// A built-in lesson by name, or a lesson file; nullopt with the reason.
std::optional<Lesson> loadLesson(const QString& nameOrFile, QString* error);
