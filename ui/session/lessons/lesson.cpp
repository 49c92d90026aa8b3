// SPDX-License-Identifier: MIT
#include "lessons/lesson.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>
#include <set>

#include "lessons/lesson_highlight.hpp"
#include "lessons/lesson_reader.hpp"

using namespace Qt::StringLiterals;

namespace {

// The built-ins, in teaching order (resources/lessons/NAME.json).
// The `redis` lesson needs a build with Redis.
const QStringList kBuiltIn = {u"records-and-offsets"_s,
                              u"segments"_s,
                              u"slow-consumer"_s,
                              u"crash-and-replay"_s,
                              u"segment-size"_s,
                              u"sharding"_s,
                              u"serving"_s,
#if MEMLOG_WITH_REDIS
                              u"redis"_s
#endif
};

}  // namespace

bool LessonCondition::empty() const {
  return !records && !seals && !purges && consumer.isEmpty() && !replayed && key.isEmpty() && !skewAtLeast && !client &&
         !mirror && also.empty();
}

QString LessonCondition::describe() const {
  QStringList parts;
  const auto count = [](qint64 n, const QString& one, const QString& many) {
    return u"%1 %2"_s.arg(n).arg(n == 1 ? one : many);
  };
  if (records) parts << count(*records, u"record written"_s, u"records written"_s);
  if (seals) parts << count(*seals, u"seal"_s, u"seals"_s);
  if (purges) parts << count(*purges, u"purge"_s, u"purges"_s);
  if (!consumer.isEmpty()) {
    QString c = u"consumer %1"_s.arg(consumer);
    if (state) c += u" %1"_s.arg(QString::fromUtf8(memlog::sim::to_string(*state).data()).replace(u'_', u' '));
    if (lagAtLeast) c += u" with a lag of %1 or more"_s.arg(*lagAtLeast);
    if (caughtUp) c += u" within %1 records of the newest"_s.arg(*caughtUp);
    parts << c;
  }
  if (replayed) parts << u"the log replayed"_s;
  if (!key.isEmpty()) parts << u"a record with key %1 in shard %2"_s.arg(key).arg(shard.value_or(-1));
  if (skewAtLeast) parts << u"skew at least %1×"_s.arg(*skewAtLeast);
  if (client) {
    QString c = u"client %1"_s.arg(client->name);
    if (client->connected) c += *client->connected ? u" connected"_s : u" disconnected"_s;
    if (client->receivedAtLeast) c += u" received %1 records"_s.arg(*client->receivedAtLeast);
    if (client->caughtUp) c += u" within %1 records of the newest"_s.arg(*client->caughtUp);
    if (client->lostAtLeast) c += u" lost %1 or more to the purge"_s.arg(*client->lostAtLeast);
    parts << c;
  }
  if (mirror) {
    QString m = u"the mirror"_s;
    if (!mirror->state.isEmpty()) m += u" "_s + mirror->state;
    if (mirror->sentAtLeast) m += u" sent %1 records"_s.arg(*mirror->sentAtLeast);
    if (mirror->caughtUp) m += u" within %1 records of the log"_s.arg(*mirror->caughtUp);
    if (mirror->lostAtLeast) m += u" lost %1 or more"_s.arg(*mirror->lostAtLeast);
    if (mirror->lostAtMost) m += u" lost at most %1"_s.arg(*mirror->lostAtMost);
    parts << m;
  }
  QString all = parts.join(u", "_s);
  if (on == On::compare) all += u" (compare mode's second log)"_s;
  for (const LessonCondition& more : also) all += u"; "_s + more.describe();
  return all;
}

std::optional<Lesson> parseLesson(const QByteArray& json, const QString& file, QString* error) {
  lesson_reader::Reader r(file);
  const auto fail = [&]() -> std::optional<Lesson> {
    if (error) *error = r.error();
    return std::nullopt;
  };
  QJsonParseError parseError;
  const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
  if (parseError.error != QJsonParseError::NoError) {
    // The offset as a line and column: what an editor shows.
    // Qt's offset is one past the character it refused (exact only for garbage at the end).
    const qsizetype at = parseError.error == QJsonParseError::GarbageAtEnd
                             ? parseError.offset
                             : std::max<qsizetype>(0, parseError.offset - 1);
    const QByteArray before = json.left(at);
    const qsizetype line = before.count('\n') + 1;
    const qsizetype column = at - (before.lastIndexOf('\n') + 1) + 1;
    r.fail(u"not valid JSON at line %1, column %2: %3"_s.arg(line).arg(column).arg(parseError.errorString()));
    return fail();
  }
  if (!doc.isObject()) {
    r.fail(u"a lesson is a JSON object"_s);
    return fail();
  }
  const QJsonObject top = doc.object();
  Lesson lesson;
  lesson.file = file;
  if (!r.onlyKnown(top, {u"name"_s, u"title"_s, u"summary"_s, u"setup"_s, u"steps"_s}, u"the lesson"_s)) return fail();
  lesson.name = r.text(top, u"name"_s, true);
  lesson.title = r.text(top, u"title"_s, true);
  lesson.summary = r.text(top, u"summary"_s, false);
  if (r.failed()) return fail();
  static const QRegularExpression kName(u"^[a-z0-9]+(-[a-z0-9]+)*$"_s);
  if (!kName.match(lesson.name).hasMatch()) {
    r.fail(u"'name' must be lower-case words joined by '-' (e.g. slow-consumer)"_s);
    return fail();
  }
  lesson.source.rate = 100;  // a calm default: a lesson is watched
  if (top.contains(u"setup"_s)) {
    if (!top.value(u"setup"_s).isObject()) {
      r.fail(u"'setup' must be an object"_s);
      return fail();
    }
    if (!lesson_reader::readSetup(r, top.value(u"setup"_s).toObject(), lesson)) return fail();
  }
  r.atTop();
  const QJsonArray steps = top.value(u"steps"_s).toArray();
  if (!top.value(u"steps"_s).isArray() || steps.isEmpty()) {
    r.fail(u"'steps' must be a list of at least one step"_s);
    return fail();
  }
  lesson_reader::Scene scene;
  for (qsizetype i = 0; i < steps.size(); ++i) {
    r.at(static_cast<int>(i + 1), u"?"_s);
    if (!steps[i].isObject()) {
      r.fail(u"a step is a JSON object"_s);
      return fail();
    }
    const QJsonObject o = steps[i].toObject();
    LessonStep step;
    step.title = o.value(u"title"_s).toString();
    r.at(static_cast<int>(i + 1), step.title.isEmpty() ? u"untitled"_s : step.title);
    if (!r.onlyKnown(o,
                     {u"title"_s, u"narration"_s, u"actions"_s, u"highlight"_s, u"until"_s, u"timeout_s"_s, u"hint"_s},
                     u"a step"_s))
      return fail();
    r.text(o, u"title"_s, true);
    step.narration = r.text(o, u"narration"_s, true);
    if (r.failed()) return fail();
    scene.crashes = false;
    if (o.contains(u"actions"_s)) {
      if (!o.value(u"actions"_s).isArray()) {
        r.fail(u"'actions' must be a list"_s);
        return fail();
      }
      for (const QJsonValueConstRef a : o.value(u"actions"_s).toArray()) {
        if (!a.isObject()) {
          r.fail(u"an action is a JSON object with a 'do'"_s);
          return fail();
        }
        LessonAction action;
        if (!lesson_reader::readAction(r, a.toObject(), lesson, scene, action)) return fail();
        step.actions.push_back(std::move(action));
      }
    }
    step.highlight = r.text(o, u"highlight"_s, false);
    if (const QString why = checkHighlight(step.highlight, lesson, scene.consumers); !why.isEmpty()) {
      r.fail(why);
      return fail();
    }
    if (o.contains(u"until"_s)) {
      LessonCondition condition;
      if (!lesson_reader::readCondition(r, o.value(u"until"_s), lesson, scene, condition)) return fail();
      step.wait = condition;
    }
    if (auto t = r.integer(o, u"timeout_s"_s, 1, 600)) step.timeoutSeconds = static_cast<int>(*t);
    step.hint = r.text(o, u"hint"_s, false);
    if (r.failed()) return fail();
    if ((o.contains(u"timeout_s"_s) || o.contains(u"hint"_s)) && !step.wait) {
      r.fail(u"'timeout_s' and 'hint' belong to a step that waits ('until')"_s);
      return fail();
    }
    lesson.steps.push_back(std::move(step));
  }
  return lesson;
}

std::vector<Lesson> builtInLessons(QString* error) {
  std::vector<Lesson> lessons;
  for (const QString& name : kBuiltIn) {
    QFile file(u":/lessons/%1.json"_s.arg(name));
    if (!file.open(QIODevice::ReadOnly)) {
      if (error) *error = u"the built-in lesson %1 is missing from the resources"_s.arg(name);
      continue;
    }
    if (auto lesson = parseLesson(file.readAll(), file.fileName(), error)) lessons.push_back(std::move(*lesson));
  }
  return lessons;
}

std::optional<Lesson> loadLesson(const QString& nameOrFile, QString* error) {
  if (!MEMLOG_WITH_REDIS && nameOrFile == u"redis"_s && !QFileInfo(nameOrFile).isFile()) {
    if (error) *error = u"the lesson redis needs a build with Redis (MEMLOG_WITH_REDIS=ON)"_s;
    return std::nullopt;
  }
  if (kBuiltIn.contains(nameOrFile)) {
    QFile file(u":/lessons/%1.json"_s.arg(nameOrFile));
    if (!file.open(QIODevice::ReadOnly)) {
      if (error) *error = u"the built-in lesson %1 is missing from the resources"_s.arg(nameOrFile);
      return std::nullopt;
    }
    return parseLesson(file.readAll(), file.fileName(), error);
  }
  QFile file(nameOrFile);
  if (!QFileInfo(nameOrFile).isFile() || !file.open(QIODevice::ReadOnly)) {
    if (error)
      *error = u"'%1' is neither a built-in lesson (%2) nor a lesson file that can be read"_s.arg(
          nameOrFile.left(200), kBuiltIn.join(u", "_s));
    return std::nullopt;
  }
  if (file.size() > 1 << 20) {
    if (error) *error = u"%1: a lesson file is at most 1 MiB"_s.arg(nameOrFile);
    return std::nullopt;
  }
  return parseLesson(file.readAll(), nameOrFile, error);
}
