// SPDX-License-Identifier: MIT
#include "lessons/lesson_reader.hpp"

#include <QJsonArray>

#include <cmath>

#include "adapter/log_limits.hpp"

using namespace Qt::StringLiterals;

namespace lesson_reader {

namespace {

struct ActionSpec {
  const char16_t* name;
  LessonAction::Kind kind;
  QStringList fields;
};
const std::vector<ActionSpec>& actionSpecs() {
  static const std::vector<ActionSpec> specs = {
      {u"source",
       LessonAction::Kind::source,
       {u"kind"_s, u"rate"_s, u"burst_size"_s, u"burst_every_ms"_s, u"payload_bytes"_s, u"key_skew"_s, u"running"_s}},
      {u"step", LessonAction::Kind::step, {u"records"_s}},
      {u"add_consumer", LessonAction::Kind::add_consumer, {u"name"_s, u"pace"_s, u"start"_s, u"offset"_s, u"shard"_s}},
      {u"remove_consumer", LessonAction::Kind::remove_consumer, {u"name"_s}},
      {u"resume_consumer", LessonAction::Kind::resume_consumer, {u"name"_s, u"from"_s}},
      {u"crash_and_replay", LessonAction::Kind::crash_and_replay, {}},
      {u"reconfigure", LessonAction::Kind::reconfigure, {u"segment_size"_s, u"max_record_bytes"_s}},
      {u"show_shard", LessonAction::Kind::show_shard, {u"shard"_s}},
      {u"open_compare", LessonAction::Kind::open_compare, {u"segment_size"_s, u"shards"_s}},
      {u"start_server", LessonAction::Kind::start_server, {}},
      {u"add_client", LessonAction::Kind::add_client, {u"name"_s, u"start"_s}},
      {u"disconnect_client", LessonAction::Kind::disconnect_client, {u"name"_s}},
      {u"reconnect_client", LessonAction::Kind::reconnect_client, {u"name"_s}},
      {u"start_redis", LessonAction::Kind::start_redis, {}},
      {u"stop_redis", LessonAction::Kind::stop_redis, {}},
      {u"start_mirror", LessonAction::Kind::start_mirror, {}},
  };
  return specs;
}

std::optional<memlog::sim::ConsumerState> stateFrom(const QString& text) {
  using memlog::sim::ConsumerState;
  for (ConsumerState s :
       {ConsumerState::live, ConsumerState::lagging, ConsumerState::fell_behind, ConsumerState::stopped})
    // The file's words are identifiers (fell_behind); to_string's may have spaces.
    if (QString(text).replace(u'_', u' ') == QString::fromUtf8(memlog::sim::to_string(s).data()).replace(u'_', u' '))
      return s;
  return std::nullopt;
}

// The actions on what surrounds the log: compare mode, the server and its clients, Redis.
bool readStageAction(Reader& r, const QJsonObject& o, const Lesson& lesson, Scene& scene, LessonAction::Kind kind) {
  using K = LessonAction::Kind;
  switch (kind) {
    case K::open_compare: {
      if (!o.contains(u"segment_size"_s) && !o.contains(u"shards"_s))
        return r.fail(u"'open_compare' needs 'segment_size', 'shards' or both (what the second log changes)"_s);
      const std::size_t current = scene.segmentSize > 0 ? scene.segmentSize : lesson.log.segment_size;
      std::size_t segmentSize = current;
      if (o.contains(u"segment_size"_s))
        if (const auto size = r.integer(o, u"segment_size"_s, 1, log_limits::kMaxSegmentSize))
          segmentSize = static_cast<std::size_t>(*size);
      ShardingOptions other = lesson.sharding;
      if (o.contains(u"shards"_s)) {
        // 1 = one log; else a sharding like the lesson's (its sharder, its keys) with this count.
        const auto shards = r.integer(o, u"shards"_s, 1, static_cast<qint64>(memlog::shard::kMaxShards));
        if (shards) other.shards = *shards > 1 ? static_cast<int>(*shards) : 0;
        if (shards && other.sharded())
          if (const QString why = sharding::validate(other); !why.isEmpty()) return r.fail(u"'shards': "_s + why);
      }
      if (r.failed()) return false;
      if (segmentSize == current && other.shards == lesson.sharding.shards)
        return r.fail(
            u"'open_compare' changes nothing: the second log would be the monitor's own (give another "
            "'segment_size' or 'shards')"_s);
      scene.compare = true;
      scene.compareSameShards = other.shards == lesson.sharding.shards;
      break;
    }
    case K::start_server:
      scene.served = true;
      break;
    case K::add_client: {
      if (!scene.served) return r.fail(u"'add_client' needs the server: 'start_server' first"_s);
      const QString client = r.text(o, u"name"_s, true);
      if (scene.clients.count(client)) return r.fail(u"a client '%1' already exists"_s.arg(client));
      scene.clients.insert(client);
      if (o.contains(u"start"_s) && o.value(u"start"_s) != u"earliest"_s && o.value(u"start"_s) != u"latest"_s)
        return r.fail(u"'start' must be earliest or latest"_s);
      break;
    }
    case K::disconnect_client:
    case K::reconnect_client: {
      const QString client = r.text(o, u"name"_s, true);
      if (!r.failed() && !scene.clients.count(client))
        return r.fail(u"no client '%1' at this point (add_client first)"_s.arg(client));
      break;
    }
    case K::start_redis:
    case K::stop_redis:
    case K::start_mirror:
      if (!MEMLOG_WITH_REDIS) return r.fail(u"this build of memlog has no Redis support (MEMLOG_WITH_REDIS=OFF)"_s);
      if (kind == K::start_redis) scene.redis = true;
      if (kind != K::start_redis && !scene.redis) return r.fail(u"'start_redis' must come first"_s);
      if (kind == K::start_mirror) scene.mirror = true;
      break;
    default:
      break;
  }
  return !r.failed();
}

bool readClientCondition(Reader& r, const QJsonValue& value, const Scene& scene, ClientCondition& c) {
  if (!value.isObject()) return r.fail(u"'client' must be an object with the client's 'name'"_s);
  const QJsonObject o = value.toObject();
  if (!r.onlyKnown(o, {u"name"_s, u"received_at_least"_s, u"caught_up_within"_s, u"lost_at_least"_s, u"connected"_s},
                   u"'client'"_s))
    return false;
  c.name = r.text(o, u"name"_s, true);
  if (!r.failed() && !scene.clients.count(c.name))
    return r.fail(u"the condition waits for client '%1', which does not exist at this point"_s.arg(c.name));
  c.receivedAtLeast = r.integer(o, u"received_at_least"_s, 1, qint64{1} << 40);
  c.caughtUp = r.integer(o, u"caught_up_within"_s, 0, qint64{1} << 40);
  c.lostAtLeast = r.integer(o, u"lost_at_least"_s, 1, qint64{1} << 40);
  if (o.contains(u"connected"_s)) {
    if (!o.value(u"connected"_s).isBool()) return r.fail(u"'connected' must be true or false"_s);
    c.connected = o.value(u"connected"_s).toBool();
  }
  if (c.connected == false && (c.receivedAtLeast || c.caughtUp))
    return r.fail(u"a client that is not connected receives nothing: the condition can never hold"_s);
  if (!r.failed() && !c.receivedAtLeast && !c.caughtUp && !c.lostAtLeast && !c.connected)
    return r.fail(
        u"'client' needs something to wait for (received_at_least, caught_up_within, lost_at_least, "
        u"connected)"_s);
  return !r.failed();
}

bool readMirrorCondition(Reader& r, const QJsonValue& value, const Scene& scene, MirrorCondition& c) {
  if (!value.isObject()) return r.fail(u"'mirror' must be an object"_s);
  if (!scene.mirror) return r.fail(u"the condition waits for the mirror: 'start_mirror' first"_s);
  const QJsonObject o = value.toObject();
  if (!r.onlyKnown(o, {u"sent_at_least"_s, u"caught_up_within"_s, u"lost_at_least"_s, u"lost_at_most"_s, u"state"_s},
                   u"'mirror'"_s))
    return false;
  c.sentAtLeast = r.integer(o, u"sent_at_least"_s, 1, qint64{1} << 40);
  c.caughtUp = r.integer(o, u"caught_up_within"_s, 0, qint64{1} << 40);
  c.lostAtLeast = r.integer(o, u"lost_at_least"_s, 1, qint64{1} << 40);
  c.lostAtMost = r.integer(o, u"lost_at_most"_s, 0, qint64{1} << 40);
  c.state = r.text(o, u"state"_s, false);
  if (!c.state.isEmpty() && c.state != u"mirroring"_s && c.state != u"retrying"_s)
    return r.fail(u"'state' must be mirroring or retrying"_s);
  if (c.lostAtLeast && c.lostAtMost && *c.lostAtLeast > *c.lostAtMost)
    return r.fail(
        u"at least %1 and at most %2 lost: the condition can never hold"_s.arg(*c.lostAtLeast).arg(*c.lostAtMost));
  if (c.state == u"retrying"_s && c.caughtUp)
    return r.fail(u"a mirror that is retrying is not caught up: the condition can never hold"_s);
  if (!r.failed() && !c.sentAtLeast && !c.caughtUp && !c.lostAtLeast && !c.lostAtMost && c.state.isEmpty())
    return r.fail(u"'mirror' needs something to wait for"_s);
  return !r.failed();
}

bool readOneCondition(Reader& r, const QJsonObject& o, const Lesson& lesson, const Scene& scene, LessonCondition& c);

}  // namespace

void Reader::at(int step, const QString& title) { m_where = u"step %1 (%2)"_s.arg(step).arg(title); }

void Reader::atSetup() { m_where = u"setup"_s; }

bool Reader::fail(const QString& what) {
  if (m_error.isEmpty()) m_error = m_file + u": "_s + (m_where.isEmpty() ? QString() : m_where + u": "_s) + what;
  return false;
}

bool Reader::onlyKnown(const QJsonObject& o, const QStringList& known, const QString& what) {
  for (const QString& key : o.keys())
    if (!known.contains(key))
      return fail(u"unknown field '%1' in %2 (known: %3)"_s.arg(key, what, known.join(u", "_s)));
  return true;
}

std::optional<qint64> Reader::integer(const QJsonObject& o, const QString& key, qint64 low, qint64 high) {
  if (!o.contains(key)) return std::nullopt;
  const QJsonValue v = o.value(key);
  const double d = v.toDouble(-1e300);
  // The range first: a cast of a double out of qint64's range is undefined.
  if (!v.isDouble() || d < static_cast<double>(low) || d > static_cast<double>(high) || d != std::floor(d)) {
    fail(u"'%1' must be a whole number from %2 to %3"_s.arg(key).arg(low).arg(high));
    return std::nullopt;
  }
  return static_cast<qint64>(d);
}

std::optional<double> Reader::number(const QJsonObject& o, const QString& key, double low, double high) {
  if (!o.contains(key)) return std::nullopt;
  const QJsonValue v = o.value(key);
  if (!v.isDouble() || v.toDouble() < low || v.toDouble() > high) {
    fail(u"'%1' must be a number from %2 to %3"_s.arg(key, QString::number(low, 'g', 12),
                                                      QString::number(high, 'g', 12)));
    return std::nullopt;
  }
  return v.toDouble();
}

QString Reader::text(const QJsonObject& o, const QString& key, bool required) {
  if (!o.contains(key)) {
    if (required) fail(u"'%1' is missing"_s.arg(key));
    return {};
  }
  if (!o.value(key).isString() || (required && o.value(key).toString().trimmed().isEmpty())) {
    fail(u"'%1' must be a text"_s.arg(key) + (required ? u" (not empty)"_s : QString()));
    return {};
  }
  return o.value(key).toString();
}

bool readSetup(Reader& r, const QJsonObject& o, Lesson& lesson) {
  r.atSetup();
  if (!r.onlyKnown(o,
                   {u"segment_size"_s, u"max_record_bytes"_s, u"source"_s, u"seed"_s, u"rate"_s, u"running"_s,
                    u"key_skew"_s, u"shards"_s, u"shard_key"_s, u"sharder"_s},
                   u"the setup"_s))
    return false;
  if (auto v = r.integer(o, u"segment_size"_s, 1, log_limits::kMaxSegmentSize))
    lesson.log.segment_size = static_cast<std::size_t>(*v);
  if (auto v = r.integer(o, u"max_record_bytes"_s, 1, log_limits::kMaxRecordBytes))
    lesson.log.max_record_bytes = static_cast<std::size_t>(*v);
  if (o.contains(u"source"_s)) {
    const auto kind = memlog::sim::source_kind_from_string(r.text(o, u"source"_s, true).toStdString());
    if (!kind) return r.fail(u"'source' must be sensor, inventory or tickets"_s);
    lesson.source.kind = *kind;
  }
  if (auto v = r.integer(o, u"seed"_s, 0, qint64{1} << 53)) lesson.source.seed = static_cast<std::uint64_t>(*v);
  if (auto v = r.number(o, u"rate"_s, 0, 10'000'000)) lesson.source.rate = *v;
  if (o.contains(u"running"_s)) {
    if (!o.value(u"running"_s).isBool()) return r.fail(u"'running' must be true or false"_s);
    lesson.sourceRunning = o.value(u"running"_s).toBool();
  }
  if (o.contains(u"key_skew"_s)) {
    const auto skew = memlog::sim::parse_key_skew(r.text(o, u"key_skew"_s, true).toStdString());
    if (!skew) return r.fail(QString::fromStdString(skew.error()));
    lesson.source.skew = *skew;
  }
  if (o.contains(u"shards"_s) && !o.value(u"shards"_s).isDouble())
    return r.fail(u"'shards' must be a whole number from %1 to %2"_s.arg(memlog::shard::kMinShards)
                      .arg(memlog::shard::kMaxShards));
  if (o.contains(u"shards"_s)) {
    const QString why =
        sharding::parseShards(QString::number(o.value(u"shards"_s).toDouble(-1), 'g', 17), &lesson.sharding.shards);
    if (!why.isEmpty() || !o.value(u"shards"_s).isDouble()) return r.fail(u"'shards': "_s + why);
  }
  if (o.contains(u"shard_key"_s) || o.contains(u"sharder"_s)) {
    if (!lesson.sharding.sharded()) return r.fail(u"'shard_key' and 'sharder' need 'shards'"_s);
    if (o.contains(u"shard_key"_s))
      if (QString why = sharding::parseKeyField(r.text(o, u"shard_key"_s, true), &lesson.sharding.keyField);
          !why.isEmpty())
        return r.fail(u"'shard_key': "_s + why);
    if (o.contains(u"sharder"_s))
      if (QString why = sharding::parseSharder(r.text(o, u"sharder"_s, true), &lesson.sharding.sharder); !why.isEmpty())
        return r.fail(u"'sharder': "_s + why);
    if (QString why = sharding::validate(lesson.sharding); !why.isEmpty()) return r.fail(why);
  }
  return !r.failed();
}

// Checks an action against what exists at that point (consumers by name, shards).
bool readAction(Reader& r, const QJsonObject& o, const Lesson& lesson, Scene& scene, LessonAction& action) {
  const QString name = r.text(o, u"do"_s, true);
  if (r.failed()) return false;
  const auto spec = std::find_if(actionSpecs().begin(), actionSpecs().end(),
                                 [&](const ActionSpec& s) { return name == QStringView(s.name); });
  if (spec == actionSpecs().end()) {
    QStringList known;
    for (const auto& s : actionSpecs()) known << QString::fromUtf16(s.name);
    return r.fail(u"unknown action '%1' (known: %2)"_s.arg(name, known.join(u", "_s)));
  }
  QStringList fields = spec->fields;
  fields << u"do"_s;
  if (!r.onlyKnown(o, fields, u"the action '%1'"_s.arg(name))) return false;
  action.kind = spec->kind;
  action.args = o;
  const bool sharded = lesson.sharding.sharded();
  const int shards = lesson.sharding.shards;
  std::set<QString>& consumers = scene.consumers;
  using K = LessonAction::Kind;
  switch (action.kind) {
    case K::source:
      if (o.contains(u"kind"_s) && !memlog::sim::source_kind_from_string(o.value(u"kind"_s).toString().toStdString()))
        return r.fail(u"'kind' must be sensor, inventory or tickets"_s);
      r.number(o, u"rate"_s, 0, 10'000'000);
      r.integer(o, u"burst_size"_s, 0, 1'000'000);
      r.integer(o, u"burst_every_ms"_s, 1, 600'000);
      r.integer(o, u"payload_bytes"_s, 0, log_limits::kMaxRecordBytes);
      if (o.contains(u"key_skew"_s))
        if (auto skew = memlog::sim::parse_key_skew(o.value(u"key_skew"_s).toString().toStdString()); !skew)
          return r.fail(QString::fromStdString(skew.error()));
      if (o.contains(u"running"_s) && !o.value(u"running"_s).isBool())
        return r.fail(u"'running' must be true or false"_s);
      break;
    case K::step:
      if (!o.contains(u"records"_s)) return r.fail(u"'step' needs 'records'"_s);
      r.integer(o, u"records"_s, 1, 100'000);
      break;
    case K::add_consumer: {
      const QString consumer = r.text(o, u"name"_s, true);
      if (consumers.count(consumer)) return r.fail(u"a consumer '%1' already exists"_s.arg(consumer));
      consumers.insert(consumer);
      r.number(o, u"pace"_s, 0, 10'000'000);
      if (o.contains(u"start"_s)) {
        const QString start = o.value(u"start"_s).toString();
        if (start != u"earliest"_s && start != u"latest"_s && start != u"offset"_s)
          return r.fail(u"'start' must be earliest, latest or offset"_s);
      }
      r.integer(o, u"offset"_s, 0, qint64{1} << 53);
      if (o.value(u"start"_s) == u"offset"_s && !o.contains(u"offset"_s))
        return r.fail(u"'start': offset needs 'offset'"_s);
      if (o.contains(u"offset"_s) && o.value(u"start"_s) != u"offset"_s)
        return r.fail(u"'offset' is for 'start': offset"_s);
      if (o.contains(u"shard"_s)) {
        if (!sharded) return r.fail(u"'shard' is for a sharded log (setup: shards)"_s);
        if (const auto shard = r.integer(o, u"shard"_s, -1, shards - 1); shard && *shard >= 0)
          scene.oneShard.insert(consumer);
      }
      break;
    }
    case K::remove_consumer:
    case K::resume_consumer: {
      const QString consumer = r.text(o, u"name"_s, true);
      if (!r.failed() && !consumers.count(consumer))
        return r.fail(u"no consumer '%1' at this point (add it first)"_s.arg(consumer));
      if (action.kind == K::remove_consumer) {
        consumers.erase(consumer);
        scene.oneShard.erase(consumer);
      }
      if (o.contains(u"from"_s) && o.value(u"from"_s) != u"earliest"_s && o.value(u"from"_s) != u"checkpoint"_s)
        return r.fail(u"'from' must be earliest or checkpoint"_s);
      break;
    }
    case K::crash_and_replay:
      if (sharded) return r.fail(u"a sharded log has no crash and replay"_s);
      scene.crashes = true;
      break;
    case K::reconfigure:
      if (sharded) return r.fail(u"a sharded log is reconfigured in its setup, not by a step"_s);
      if (const auto size = r.integer(o, u"segment_size"_s, 1, log_limits::kMaxSegmentSize))
        scene.segmentSize = static_cast<std::size_t>(*size);
      r.integer(o, u"max_record_bytes"_s, 1, log_limits::kMaxRecordBytes);
      break;
    case K::show_shard:
      if (!sharded) return r.fail(u"'show_shard' is for a sharded log (setup: shards)"_s);
      if (!o.contains(u"shard"_s)) return r.fail(u"'show_shard' needs 'shard'"_s);
      r.integer(o, u"shard"_s, 0, shards - 1);
      break;
    default:
      return readStageAction(r, o, lesson, scene, action.kind);
  }
  return !r.failed();
}

bool readCondition(Reader& r, const QJsonValue& until, const Lesson& lesson, const Scene& scene, LessonCondition& c) {
  if (until.isObject()) return readOneCondition(r, until.toObject(), lesson, scene, c);
  const QJsonArray all = until.toArray();
  if (!until.isArray() || all.isEmpty())
    return r.fail(u"'until' must be an object, or a list of objects that must hold at the same time"_s);
  for (qsizetype i = 0; i < all.size(); ++i) {
    if (!all[i].isObject()) return r.fail(u"'until' must be an object, or a list of objects"_s);
    LessonCondition& into = i == 0 ? c : c.also.emplace_back();
    if (!readOneCondition(r, all[i].toObject(), lesson, scene, into)) return false;
  }
  return true;
}

namespace {

bool readOneCondition(Reader& r, const QJsonObject& o, const Lesson& lesson, const Scene& scene, LessonCondition& c) {
  if (!r.onlyKnown(
          o,
          {u"on"_s, u"records"_s, u"seals"_s, u"purges"_s, u"consumer"_s, u"state"_s, u"lag_at_least"_s,
           u"caught_up_within"_s, u"replayed"_s, u"key"_s, u"shard"_s, u"skew_at_least"_s, u"client"_s, u"mirror"_s},
          u"'until'"_s))
    return false;
  const std::set<QString>& consumers = scene.consumers;
  const bool crashes = scene.crashes;
  if (o.contains(u"on"_s)) {
    const QString on = r.text(o, u"on"_s, true);
    if (on != u"log"_s && on != u"compare"_s) return r.fail(u"'on' must be log or compare"_s);
    if (on == u"compare"_s && !scene.compare)
      return r.fail(u"'on': compare needs compare mode: 'open_compare' first"_s);
    if (on == u"compare"_s) {
      for (const char16_t* field : {u"replayed", u"key", u"shard", u"skew_at_least", u"client", u"mirror"})
        if (o.contains(QString::fromUtf16(field)))
          return r.fail(u"'%1' is about the monitor's log, not compare mode's second log ('on': compare)"_s.arg(
              QString::fromUtf16(field)));
      c.on = LessonCondition::On::compare;
    }
  }
  if (o.contains(u"client"_s)) {
    if (!readClientCondition(r, o.value(u"client"_s), scene, c.client.emplace())) return false;
  }
  if (o.contains(u"mirror"_s)) {
    if (!readMirrorCondition(r, o.value(u"mirror"_s), scene, c.mirror.emplace())) return false;
  }
  c.records = r.integer(o, u"records"_s, 0, qint64{1} << 40);
  c.seals = r.integer(o, u"seals"_s, 0, qint64{1} << 40);
  c.purges = r.integer(o, u"purges"_s, 0, qint64{1} << 40);
  if (o.contains(u"consumer"_s)) {
    c.consumer = r.text(o, u"consumer"_s, true);
    if (!r.failed() && !consumers.count(c.consumer))
      return r.fail(u"the condition waits for consumer '%1', which does not exist at this point"_s.arg(c.consumer));
    if (c.on == LessonCondition::On::compare && !scene.compareSameShards && scene.oneShard.count(c.consumer))
      return r.fail(
          u"consumer '%1' reads one shard: compare mode's second log has other shards, so it is not "
          "there and the condition can never hold"_s.arg(c.consumer));
    if (o.contains(u"state"_s)) {
      c.state = stateFrom(o.value(u"state"_s).toString());
      if (!c.state) return r.fail(u"'state' must be live, lagging, fell_behind or stopped"_s);
    }
    c.lagAtLeast = r.integer(o, u"lag_at_least"_s, 1, qint64{1} << 40);
    c.caughtUp = r.integer(o, u"caught_up_within"_s, 0, qint64{1} << 40);
    if (c.lagAtLeast && c.caughtUp && *c.lagAtLeast > *c.caughtUp)
      return r.fail(
          u"a lag of at least %1 and within %2 of the newest: the condition can never hold"_s.arg(*c.lagAtLeast)
              .arg(*c.caughtUp));
    if (c.caughtUp && c.state &&
        (*c.state == memlog::sim::ConsumerState::fell_behind || *c.state == memlog::sim::ConsumerState::stopped))
      return r.fail(
          u"'caught_up_within' needs a running consumer, not one that fell behind or stopped: the "
          u"condition can never hold"_s);
  } else if (o.contains(u"state"_s) || o.contains(u"lag_at_least"_s) || o.contains(u"caught_up_within"_s)) {
    return r.fail(u"'state', 'lag_at_least' and 'caught_up_within' need 'consumer'"_s);
  }
  if (o.contains(u"replayed"_s)) {
    if (o.value(u"replayed"_s) != QJsonValue(true)) return r.fail(u"'replayed' can only be true"_s);
    if (!crashes) return r.fail(u"'replayed' can never hold: this step has no crash_and_replay action"_s);
    c.replayed = true;
  }
  if (o.contains(u"key"_s) || o.contains(u"shard"_s)) {
    if (!lesson.sharding.sharded()) return r.fail(u"'key' and 'shard' are for a sharded log (setup: shards)"_s);
    c.key = r.text(o, u"key"_s, true);
    if (!o.contains(u"shard"_s)) return r.fail(u"'key' needs 'shard'"_s);
    c.shard = static_cast<int>(r.integer(o, u"shard"_s, 0, lesson.sharding.shards - 1).value_or(-1));
    if (r.failed()) return false;
    // The sharder decides where a key goes: a condition against its choice can never hold.
    memlog::ShardedOptions options;
    options.shards = static_cast<std::size_t>(lesson.sharding.shards);
    options.sharder = lesson.sharding.sharder.make();
    auto probe = memlog::ShardedLog::create(options);
    const auto shard = probe ? (*probe)->shard_of(c.key.toStdString()) : memlog::Result<std::size_t>{};
    if (!shard) return r.fail(u"the key '"_s + c.key + u"' is refused by the sharder: the condition can never hold"_s);
    if (static_cast<int>(*shard) != *c.shard)
      return r.fail(u"the key '%1' goes to shard %2, never to shard %3: the condition can never hold"_s.arg(
          c.key, QString::number(*shard), QString::number(*c.shard)));
  }
  if (o.contains(u"skew_at_least"_s)) {
    if (!lesson.sharding.sharded()) return r.fail(u"'skew_at_least' is for a sharded log (setup: shards)"_s);
    c.skewAtLeast = r.number(o, u"skew_at_least"_s, 1, 1e6);
  }
  if (!r.failed() && c.empty()) return r.fail(u"'until' is empty: say what to wait for"_s);
  return !r.failed();
}

}  // namespace

}  // namespace lesson_reader
