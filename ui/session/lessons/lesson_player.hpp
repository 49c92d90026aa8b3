// SPDX-License-Identifier: MIT
// LessonPlayer: plays a Lesson on a live LogSession. Starting a step runs its actions on the
// log, the source and the consumers; then, frame by frame (the FrameClock's), its condition is
// checked against the live state — counts since the step began, a consumer's state and lag,
// a replay, a key on a shard, the skew — until it holds (conditionMet) or its timeout passes
// (timedOut, with the hint; it may still hold later). Autoplay moves on by itself: at once
// when a condition holds, after a pause for a step that waits for nothing.
//
// The setup (segment size, shards, source) is the session's: main() makes the session from
// Lesson's setup before the player starts. What surrounds the log, the player brings when a
// step asks: compare mode's second log (its own CompareSession, or the one the window opens:
// setCompareOpener), the server (main's, setServer) and WebSocket clients of it
// (StreamFollower), the lesson's own Redis (LessonRedis) and the session's mirror into it.
//
// Threading: a GUI-thread object.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>

#include "lessons/lesson.hpp"

class CompareSession;
class LessonRedis;
class LogServer;
class LogSession;
class StreamFollower;
struct Frame;

class LessonPlayer : public QObject {
  Q_OBJECT

 public:
  enum class StepState { waiting, met, timedOut, noCondition };
  Q_ENUM(StepState)

  LessonPlayer(LogSession* session, Lesson lesson, QObject* parent = nullptr);
  ~LessonPlayer() override;

  // The server `start_server` starts (on loopback, free ports) unless it listens already.
  void setServer(LogServer* server) { m_server = server; }
  // How `open_compare` opens compare mode (the window shows it); by default the player makes a
  // CompareSession of its own. The opener returns the session (null: it could not), which may
  // go when its window is closed.
  using CompareOpener = std::function<CompareSession*(const memlog::Options& other, const ShardingOptions& sharding)>;
  void setCompareOpener(CompareOpener opener) { m_openCompare = std::move(opener); }
  CompareSession* compare() const;                    // compare mode opened by open_compare, while it is open
  StreamFollower* client(const QString& name) const;  // a client added by add_client, or null

  const Lesson& lesson() const { return m_lesson; }
  int current() const { return m_current; }  // -1 before start(); steps().size() once finished
  int stepCount() const { return static_cast<int>(m_lesson.steps.size()); }
  bool isFinished() const { return m_current >= stepCount(); }
  StepState state() const { return m_state; }
  qint64 stepElapsedMs() const { return m_stepClock.isValid() ? m_stepClock.elapsed() : 0; }
  // Autoplay: on a condition met, the next step starts after `metDelayMs`; a step without one
  // moves on after `readingMs`.
  void setAutoplay(bool on, int metDelayMs = 1500, int readingMs = 6000);
  bool autoplay() const { return m_autoplay; }

 public slots:
  void start();     // the first step
  void next();      // the next step (its actions run), or the end
  void back();      // the previous step's narration and highlight again (its actions do not rerun,
                    // nor do those of the steps Next then shows again)
  void evaluate();  // checks the current step's condition now (normally on every frame)

 signals:
  void stepStarted(int index);
  void conditionMet(int index);
  void timedOut(int index, const QString& hint);
  void finished();
  void actionFailed(int index, const QString& why);  // e.g. a reconfiguration refused
  void serverStarted();                              // start_server made the server listen

 private:
  void enter(int index, bool runActions);
  void run(const LessonAction& action);
  void runStage(const LessonAction& action);  // compare mode, the server and clients, Redis
  bool holds(const LessonCondition& c);
  bool holdsAround(const LessonCondition& c, const Frame& frame) const;  // clients, mirror
  void countEvents();
  void scheduleNext(int delayMs);

  // Seals and purges of one log, counted across log replacements (a new log's counters start
  // again from zero), and where they were when the step began.
  struct Tally {
    qint64 seals = 0, purges = 0;
    qint64 lastSeals = 0, lastPurges = 0;  // of the log(s) seen at the last frame
    qint64 stepSeals = 0, stepPurges = 0;
    void add(qint64 nowSeals, qint64 nowPurges);
    void add(const LogSession* session);  // its seals and purges now (a sharded log: all its shards')
    void markStep() { stepSeals = seals, stepPurges = purges; }
  };

  LogSession* m_session;
  Lesson m_lesson;
  int m_current = -1;
  int m_played = -1;  // the furthest step whose actions have run
  StepState m_state = StepState::noCondition;
  QElapsedTimer m_stepClock;
  QTimer m_autoTimer;
  bool m_autoplay = false;
  int m_metDelayMs = 1500;
  int m_readingMs = 6000;
  Tally m_tally;         // the monitor's log (all its shards)
  Tally m_compareTally;  // compare mode's second log
  qint64 m_stepRecords = 0, m_stepCompareRecords = 0;
  bool m_replayed = false;

  LogServer* m_server = nullptr;
  CompareOpener m_openCompare;
  QPointer<CompareSession> m_compare;
  std::map<QString, StreamFollower*> m_clients;  // children
  std::map<QString, qint64> m_stepReceived;      // each client's count when the step began
  LessonRedis* m_redis = nullptr;                // a child, made by start_redis
  qint64 m_stepMirrored = 0;
};
