// SPDX-License-Identifier: MIT
// LessonPlayer: plays a Lesson on a live LogSession. Starting a step runs its actions on the
// log, the source and the consumers; then, frame by frame (the FrameClock's), its condition is
// checked against the live state — counts since the step began, a consumer's state and lag,
// a replay, a key on a shard, the skew — until it holds (conditionMet) or its timeout passes
// (timedOut, with the hint; it may still hold later). Autoplay moves on by itself: at once
// when a condition holds, after a pause for a step that waits for nothing.
//
// The setup (segment size, shards, source) is the session's: main() makes the session from
// Lesson's setup before the player starts.
//
// Threading: a GUI-thread object.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include "lessons/lesson.hpp"

class LogSession;
struct Frame;

class LessonPlayer : public QObject {
  Q_OBJECT

 public:
  enum class StepState { waiting, met, timedOut, noCondition };
  Q_ENUM(StepState)

  LessonPlayer(LogSession* session, Lesson lesson, QObject* parent = nullptr);

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

 private:
  void enter(int index, bool runActions);
  void run(const LessonAction& action);
  bool holds(const LessonCondition& c, const Frame& frame);
  void countEvents(const Frame& frame);
  void scheduleNext(int delayMs);

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
  // Counted across log replacements: the totals now and at the step's start.
  qint64 m_seals = 0, m_purges = 0;
  qint64 m_lastSeals = 0, m_lastPurges = 0;  // of the log(s) seen at the last frame
  qint64 m_stepSeals = 0, m_stepPurges = 0, m_stepRecords = 0;
  bool m_replayed = false;
};
