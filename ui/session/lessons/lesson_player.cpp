// SPDX-License-Identifier: MIT
#include "lessons/lesson_player.hpp"

#include "adapter/log_limits.hpp"
#include "adapter/log_session.hpp"
#include "compare/compare_session.hpp"
#include "lessons/lesson_redis.hpp"
#include "server/log_server.hpp"
#include "server/stream_follower.hpp"

using namespace Qt::StringLiterals;

#if MEMLOG_WITH_REDIS
namespace {
// The stream the `redis` lesson mirrors into (in the lesson's own Redis).
const QString kLessonStream = u"memlog-lesson"_s;
}  // namespace
#endif

LessonPlayer::LessonPlayer(LogSession* session, Lesson lesson, QObject* parent)
    : QObject(parent), m_session(session), m_lesson(std::move(lesson)) {
  m_autoTimer.setSingleShot(true);
  connect(&m_autoTimer, &QTimer::timeout, this, &LessonPlayer::next);
  connect(session->frames(), &FrameClock::frame, this, &LessonPlayer::evaluate);
  connect(session, &LogSession::replayed, this, [this] { m_replayed = true; });
}

LessonPlayer::~LessonPlayer() {
#if MEMLOG_WITH_REDIS
  // The mirror was the lesson's: it stops before the lesson's Redis does.
  if (m_redis) m_session->mirror()->stop();
#endif
}

CompareSession* LessonPlayer::compare() const { return m_compare; }

StreamFollower* LessonPlayer::client(const QString& name) const {
  const auto found = m_clients.find(name);
  return found == m_clients.end() ? nullptr : found->second;
}

void LessonPlayer::setAutoplay(bool on, int metDelayMs, int readingMs) {
  m_autoplay = on;
  m_metDelayMs = metDelayMs;
  m_readingMs = readingMs;
  if (!on) m_autoTimer.stop();
  if (on && m_current >= 0 && !isFinished() && (m_state == StepState::met || m_state == StepState::noCondition))
    scheduleNext(m_state == StepState::met ? m_metDelayMs : m_readingMs);
}

void LessonPlayer::start() { enter(0, true); }

void LessonPlayer::next() {
  if (m_current < 0) return start();
  if (isFinished()) return;
  // After Back, a step already played is shown again; its actions ran once and do not rerun.
  enter(m_current + 1, m_current + 1 > m_played);
}

void LessonPlayer::back() {
  if (m_current <= 0) return;
  enter(std::min(m_current, stepCount()) - 1, false);
}

void LessonPlayer::enter(int index, bool runActions) {
  m_autoTimer.stop();
  m_current = index;
  if (isFinished()) {
    emit finished();
    return;
  }
  const LessonStep& step = m_lesson.steps[static_cast<std::size_t>(index)];
  // Counts are since the step began: take the baseline before its actions (a step that writes
  // 10 records and waits for 10 sees them).
  countEvents();
  m_tally.markStep();
  m_compareTally.markStep();
  m_stepRecords = static_cast<qint64>(m_session->source()->counters().written);
  m_stepCompareRecords = m_compare ? static_cast<qint64>(m_compare->copied()) : 0;
  for (const auto& [name, client] : m_clients) m_stepReceived[name] = client->received();
#if MEMLOG_WITH_REDIS
  m_stepMirrored = static_cast<qint64>(m_session->mirror()->status().sent);
#endif
  m_replayed = false;
  m_stepClock.start();
  m_state = step.wait ? StepState::waiting : StepState::noCondition;
  emit stepStarted(index);
  if (runActions) {
    m_played = std::max(m_played, index);
    for (const LessonAction& action : step.actions) run(action);
  }
  if (!step.wait) {
    if (m_autoplay) scheduleNext(m_readingMs);
    return;
  }
  evaluate();
}

void LessonPlayer::scheduleNext(int delayMs) { m_autoTimer.start(std::max(0, delayMs)); }

void LessonPlayer::Tally::add(qint64 nowSeals, qint64 nowPurges) {
  // A drop is a new log counting from zero.
  seals += nowSeals >= lastSeals ? nowSeals - lastSeals : nowSeals;
  purges += nowPurges >= lastPurges ? nowPurges - lastPurges : nowPurges;
  lastSeals = nowSeals;
  lastPurges = nowPurges;
}

void LessonPlayer::Tally::add(const LogSession* session) {
  // A sharded log's seals and purges are all its shards', not only the shown one's.
  const Frame& frame = session->frames()->current();
  auto seals = static_cast<qint64>(frame.stats.segments_sealed);
  auto purges = static_cast<qint64>(frame.stats.purges);
  if (const ShardSet* shards = session->shards()) {
    seals = purges = 0;
    for (const ShardSample& s : shards->current().shards) {
      seals += static_cast<qint64>(s.stats.segments_sealed);
      purges += static_cast<qint64>(s.stats.purges);
    }
  }
  add(seals, purges);
}

void LessonPlayer::countEvents() {
  m_tally.add(m_session);
  if (m_compare) m_compareTally.add(m_compare->b());
}

void LessonPlayer::evaluate() {
  countEvents();
  if (m_current < 0 || isFinished()) return;
  const LessonStep& step = m_lesson.steps[static_cast<std::size_t>(m_current)];
  if (!step.wait || m_state == StepState::met) return;
  if (holds(*step.wait)) {
    m_state = StepState::met;
    emit conditionMet(m_current);
    if (m_autoplay) scheduleNext(m_metDelayMs);
    return;
  }
  if (m_state == StepState::waiting && m_stepClock.elapsed() > qint64{step.timeoutSeconds} * 1000) {
    m_state = StepState::timedOut;
    emit timedOut(m_current, step.hint);
  }
}

bool LessonPlayer::holds(const LessonCondition& c) {
  for (const LessonCondition& more : c.also)
    if (!holds(more)) return false;
  const bool onCompare = c.on == LessonCondition::On::compare;
  if (onCompare && !m_compare) return false;  // its window was closed
  const Frame& frame = onCompare ? m_compare->b()->frames()->current() : m_session->frames()->current();
  const Tally& tally = onCompare ? m_compareTally : m_tally;
  const qint64 written = onCompare ? static_cast<qint64>(m_compare->copied()) - m_stepCompareRecords
                                   : static_cast<qint64>(m_session->source()->counters().written) - m_stepRecords;
  if (c.records && written < *c.records) return false;
  if (c.seals && tally.seals - tally.stepSeals < *c.seals) return false;
  if (c.purges && tally.purges - tally.stepPurges < *c.purges) return false;
  if (c.replayed && !m_replayed) return false;
  if (!c.consumer.isEmpty()) {
    const auto found = std::find_if(frame.consumers.begin(), frame.consumers.end(),
                                    [&](const auto& s) { return QString::fromStdString(s.name) == c.consumer; });
    if (found == frame.consumers.end()) return false;
    if (c.state && found->state != *c.state) return false;
    if (c.lagAtLeast && found->lag < *c.lagAtLeast) return false;
    if (c.caughtUp && (found->lag > *c.caughtUp || found->state == memlog::sim::ConsumerState::stopped ||
                       found->state == memlog::sim::ConsumerState::fell_behind))
      return false;
  }
  if (const ShardSet* shards = m_session->shards()) {
    if (!c.key.isEmpty() && shards->router()->records_of(c.key.toStdString()) == 0) return false;
    if (c.skewAtLeast && shards->current().skew() < *c.skewAtLeast) return false;
  }
  return holdsAround(c, frame);
}

bool LessonPlayer::holdsAround(const LessonCondition& c, const Frame& frame) const {
  if (c.client) {
    const StreamFollower* client = this->client(c.client->name);
    if (!client) return false;
    const bool following = client->state() == StreamFollower::State::following;
    const auto base = m_stepReceived.find(c.client->name);
    const qint64 received = client->received() - (base == m_stepReceived.end() ? 0 : base->second);
    if (c.client->connected && *c.client->connected != following) return false;
    if (c.client->receivedAtLeast && received < *c.client->receivedAtLeast) return false;
    if (c.client->caughtUp &&
        (!following || client->next() < 0 || frame.stats.next_offset - client->next() > *c.client->caughtUp))
      return false;
    if (c.client->lostAtLeast && client->lost() < *c.client->lostAtLeast) return false;
  }
  if (c.mirror) {
#if MEMLOG_WITH_REDIS
    const memlog::redis::MirrorStatus status = m_session->mirror()->status();
    const bool mirroring = status.state == memlog::WorkerState::running;
    if (c.mirror->state == u"mirroring"_s && !mirroring) return false;
    // Redis down: the mirror waits out its back-off (retrying) and tries again (connecting).
    const bool retrying =
        status.state == memlog::WorkerState::retrying || status.state == memlog::WorkerState::connecting;
    if (c.mirror->state == u"retrying"_s && !retrying) return false;
    if (c.mirror->sentAtLeast && static_cast<qint64>(status.sent) - m_stepMirrored < *c.mirror->sentAtLeast)
      return false;
    if (c.mirror->caughtUp && (!mirroring || status.lag > *c.mirror->caughtUp)) return false;
    if (c.mirror->lostAtLeast && static_cast<qint64>(status.lost) < *c.mirror->lostAtLeast) return false;
    if (c.mirror->lostAtMost && static_cast<qint64>(status.lost) > *c.mirror->lostAtMost) return false;
#else
    return false;  // never parsed without Redis
#endif
  }
  return true;
}

void LessonPlayer::run(const LessonAction& action) {
  const QJsonObject& a = action.args;
  SourceController* source = m_session->source();
  ConsumerController* consumers = m_session->consumers();
  const auto consumerId = [consumers](const QString& name) {
    for (const auto& s : consumers->snapshots())
      if (QString::fromStdString(s.name) == name) return s.id;
    return -1;
  };
  using K = LessonAction::Kind;
  switch (action.kind) {
    case K::source: {
      if (a.contains(u"kind"_s))
        source->setKind(*memlog::sim::source_kind_from_string(a.value(u"kind"_s).toString().toStdString()));
      if (a.contains(u"rate"_s)) source->setRate(a.value(u"rate"_s).toDouble());
      if (a.contains(u"burst_size"_s) || a.contains(u"burst_every_ms"_s))
        source->setBurst(a.value(u"burst_size"_s).toInt(static_cast<int>(source->options().burst_size)),
                         a.value(u"burst_every_ms"_s).toInt(static_cast<int>(source->options().burst_every.count())));
      if (a.contains(u"payload_bytes"_s)) source->setPayloadBytes(a.value(u"payload_bytes"_s).toInt());
      if (a.contains(u"key_skew"_s))
        source->setSkew(*memlog::sim::parse_key_skew(a.value(u"key_skew"_s).toString().toStdString()));
      if (a.contains(u"running"_s)) {
        if (a.value(u"running"_s).toBool())
          source->resume();
        else
          source->pause();
      }
      break;
    }
    case K::step:
      for (int i = 0; i < a.value(u"records"_s).toInt(); ++i) source->step();
      break;
    case K::add_consumer: {
      memlog::sim::ConsumerOptions o;
      o.name = a.value(u"name"_s).toString().toStdString();
      o.pace = a.value(u"pace"_s).toDouble(0);
      const QString start = a.value(u"start"_s).toString(u"earliest"_s);
      o.start = start == u"latest"_s   ? memlog::sim::ConsumerStart::latest
                : start == u"offset"_s ? memlog::sim::ConsumerStart::offset
                                       : memlog::sim::ConsumerStart::earliest;
      o.offset = static_cast<memlog::Offset>(a.value(u"offset"_s).toDouble(0));
      o.shard = a.value(u"shard"_s).toInt(-1);
      if (m_compare)
        m_compare->addConsumer(o);  // on both logs, with the same start
      else
        consumers->add(o);
      break;
    }
    case K::remove_consumer:
      consumers->remove(consumerId(a.value(u"name"_s).toString()));
      break;
    case K::resume_consumer:
      consumers->resume(consumerId(a.value(u"name"_s).toString()), a.value(u"from"_s).toString() == u"checkpoint"_s);
      break;
    case K::crash_and_replay:
      m_session->crashAndReplay();
      break;
    case K::reconfigure: {
      memlog::Options o = m_session->adapter()->log()->options();
      o.segment_size =
          static_cast<std::size_t>(a.value(u"segment_size"_s).toDouble(static_cast<double>(o.segment_size)));
      o.max_record_bytes =
          static_cast<std::size_t>(a.value(u"max_record_bytes"_s).toDouble(static_cast<double>(o.max_record_bytes)));
      o.start_offset = m_session->adapter()->stats().next_offset;  // offsets go on, as the panel's default
      if (const QString why = m_session->adapter()->reconfigure(o); !why.isEmpty()) emit actionFailed(m_current, why);
      break;
    }
    case K::show_shard:
      m_session->focusShard(a.value(u"shard"_s).toInt());
      break;
    default:
      runStage(action);
      break;
  }
}

void LessonPlayer::runStage(const LessonAction& action) {
  const QJsonObject& a = action.args;
  const QString name = a.value(u"name"_s).toString();
  using K = LessonAction::Kind;
  switch (action.kind) {
    case K::open_compare: {
      // The second log is the monitor's with what the action changes: segment size, shards.
      memlog::Options other = m_session->adapter()->log()->options();
      if (a.contains(u"segment_size"_s))
        other.segment_size = static_cast<std::size_t>(a.value(u"segment_size"_s).toDouble());
      ShardingOptions sharding = m_session->isSharded() ? m_session->shards()->options() : ShardingOptions{};
      if (a.contains(u"shards"_s)) sharding.shards = std::max(0, a.value(u"shards"_s).toInt());
      if (sharding.shards == 1) sharding.shards = 0;  // one log
      QString why = log_limits::validate(other);
      if (why.isEmpty() && sharding.sharded()) why = sharding::validate(sharding);
      if (!why.isEmpty()) {
        emit actionFailed(m_current, why);
        break;
      }
      if (m_openCompare) {
        m_compare = m_openCompare(other, sharding);  // the window closes the one open before
      } else {
        delete m_compare;  // one comparison at a time: the last one's copier and consumers stop
        m_compare = new CompareSession(m_session, other, sharding, this);
      }
      if (!m_compare) emit actionFailed(m_current, u"compare mode could not be opened"_s);
      m_compareTally = {};
      m_stepCompareRecords = 0;
      break;
    }
    case K::start_server: {
      QString error;
      if (!m_server)
        emit actionFailed(m_current, u"there is no server to start here"_s);
      else if (!m_server->isListening() && !m_server->listen(QHostAddress::LocalHost, 0, 0, &error))
        emit actionFailed(m_current, u"the server could not listen: "_s + error);
      else
        emit serverStarted();
      break;
    }
    case K::add_client: {
      if (!m_server || !m_server->isListening()) {
        emit actionFailed(m_current, u"the server is not listening: no client can follow it"_s);
        break;
      }
      auto* client = new StreamFollower(name, this);
      m_clients[name] = client;
      m_stepReceived[name] = 0;
      client->follow(QHostAddress::LocalHost, m_server->webSocketPort(), a.value(u"start"_s).toString(u"earliest"_s));
      break;
    }
    case K::disconnect_client:
      if (StreamFollower* c = client(name)) c->disconnectNow();
      break;
    case K::reconnect_client:
      if (StreamFollower* c = client(name)) c->reconnect();
      break;
#if MEMLOG_WITH_REDIS
    case K::start_redis: {
      if (!m_redis) m_redis = new LessonRedis(this);
      QString error;
      if (!m_redis->start(&error)) emit actionFailed(m_current, error);
      break;
    }
    case K::stop_redis:
      if (m_redis) m_redis->stop();
      break;
    case K::start_mirror: {
      QString error;
      if (!m_redis || !m_session->mirror()->start(m_redis->target(kLessonStream), &error))
        emit actionFailed(m_current, error.isEmpty() ? u"the lesson's Redis was not started"_s : error);
      m_stepMirrored = 0;
      break;
    }
#endif
    default:
      break;
  }
}
