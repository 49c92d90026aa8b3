// SPDX-License-Identifier: MIT
// The checks of a lesson file's parts, as parseLesson reads them: the setup, each action (against
// what exists at that point: consumers by name, shards) and each condition (one that can never
// hold is refused). Each problem is kept once with where it is (Reader). Internal to lesson.cpp.
//
// Threading: plain values and pure functions.
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>
#include <set>
#include <utility>

#include "lessons/lesson.hpp"

namespace lesson_reader {

// Checks as it reads; the first problem is kept with where it is.
class Reader {
 public:
  explicit Reader(QString file) : m_file(std::move(file)) {}
  bool failed() const { return !m_error.isEmpty(); }
  QString error() const { return m_error; }
  void at(int step, const QString& title);
  void atSetup();
  void atTop() { m_where.clear(); }
  bool fail(const QString& what);  // false, for `return r.fail(...)`
  // false (failed) when `o` has a field that is not `known`; `what` names o in the message.
  bool onlyKnown(const QJsonObject& o, const QStringList& known, const QString& what);
  // A whole number in [low, high], if present.
  std::optional<qint64> integer(const QJsonObject& o, const QString& key, qint64 low, qint64 high);
  std::optional<double> number(const QJsonObject& o, const QString& key, double low, double high);
  // A text, if present (required: present and not blank).
  QString text(const QJsonObject& o, const QString& key, bool required);

 private:
  QString m_file;
  QString m_where;
  QString m_error;
};

// What exists at a point of the lesson, as its actions so far made it: what a later action, a
// condition or a highlight may name.
struct Scene {
  std::set<QString> consumers;    // by name
  std::set<QString> oneShard;     // the consumers of those that read one shard (no counterpart on other shards)
  std::size_t segmentSize = 0;    // the monitor's log's now, when a step reconfigured it (0: the setup's)
  std::set<QString> clients;      // WebSocket clients, by name
  bool compare = false;           // compare mode is open
  bool compareSameShards = true;  // ... with the monitor's shards (else one-shard consumers are not on it)
  bool served = false;            // the server listens
  bool redis = false;             // the lesson's Redis was started
  bool mirror = false;            // the mirror was started
  bool crashes = false;           // the current step has a crash_and_replay (reset per step)
};

// Each reads `o` into the lesson, the action or the condition; false when it failed (r.error()).
bool readSetup(Reader& r, const QJsonObject& o, Lesson& lesson);
// Checked against the scene before the action, which it then updates.
bool readAction(Reader& r, const QJsonObject& o, const Lesson& lesson, Scene& scene, LessonAction& action);
// `until`: one condition object, or a list of them that must hold at the same time.
bool readCondition(Reader& r, const QJsonValue& until, const Lesson& lesson, const Scene& scene, LessonCondition& c);

}  // namespace lesson_reader
