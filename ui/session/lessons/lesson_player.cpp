// SPDX-License-Identifier: MIT
#include "lessons/lesson_player.hpp"

#include "adapter/log_session.hpp"

using namespace Qt::StringLiterals;

LessonPlayer::LessonPlayer(LogSession* session, Lesson lesson, QObject* parent)
    : QObject(parent), m_session(session), m_lesson(std::move(lesson)) {
  m_autoTimer.setSingleShot(true);
  connect(&m_autoTimer, &QTimer::timeout, this, &LessonPlayer::next);
  connect(session->frames(), &FrameClock::frame, this, &LessonPlayer::evaluate);
  connect(session, &LogSession::replayed, this, [this] { m_replayed = true; });
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
  countEvents(m_session->frames()->current());
  m_stepSeals = m_seals;
  m_stepPurges = m_purges;
  m_stepRecords = static_cast<qint64>(m_session->source()->counters().written);
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

void LessonPlayer::countEvents(const Frame& frame) {
  // The logs' own counters restart with a new log: add what each frame adds, and take a drop
  // as a new log counting from zero.
  auto seals = static_cast<qint64>(frame.stats.segments_sealed);
  auto purges = static_cast<qint64>(frame.stats.purges);
  if (const ShardSet* shards = m_session->shards()) {
    seals = purges = 0;
    for (const ShardSample& s : shards->current().shards) {
      seals += static_cast<qint64>(s.stats.segments_sealed);
      purges += static_cast<qint64>(s.stats.purges);
    }
  }
  m_seals += seals >= m_lastSeals ? seals - m_lastSeals : seals;
  m_purges += purges >= m_lastPurges ? purges - m_lastPurges : purges;
  m_lastSeals = seals;
  m_lastPurges = purges;
}

void LessonPlayer::evaluate() {
  const Frame& frame = m_session->frames()->current();
  countEvents(frame);
  if (m_current < 0 || isFinished()) return;
  const LessonStep& step = m_lesson.steps[static_cast<std::size_t>(m_current)];
  if (!step.wait || m_state == StepState::met) return;
  if (holds(*step.wait, frame)) {
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

bool LessonPlayer::holds(const LessonCondition& c, const Frame& frame) {
  const qint64 written = static_cast<qint64>(m_session->source()->counters().written);
  if (c.records && written - m_stepRecords < *c.records) return false;
  if (c.seals && m_seals - m_stepSeals < *c.seals) return false;
  if (c.purges && m_purges - m_stepPurges < *c.purges) return false;
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
  }
}
