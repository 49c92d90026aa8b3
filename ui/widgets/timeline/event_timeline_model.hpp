// SPDX-License-Identifier: MIT
// EventTimelineModel: the story of the log, in order — seals, purges, consumers falling behind
// and recovering, reconfigurations and replays — one sentence each, with the time. Bounded to
// the newest kMaxEvents; new events are appended in one batch per frame.
//
// Threading: GUI thread only.
#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QTimer>

#include <deque>
#include <utility>
#include <vector>

class LogSession;

class EventTimelineModel : public QAbstractListModel {
  Q_OBJECT

 public:
  static constexpr int kMaxEvents = 10'000;
  enum class Kind { seal, purge, consumer, reconfigure, replay, source };
  enum Role { KindRole = Qt::UserRole + 1 };

  explicit EventTimelineModel(LogSession* session, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

  void add(Kind kind, const QString& text);  // queued; shown at the next frame
  void flush();                              // appends what is queued now

 private:
  struct Event {
    QDateTime time;
    Kind kind;
    QString text;
  };
  void summarizeOtherShards();  // one line per frame for the shards not shown

  std::deque<Event> m_events;
  std::vector<std::pair<int, quint64>> m_otherSeals, m_otherPurges;  // (shard, count) since the last frame
  std::vector<Event> m_queued;
  QTimer m_frame;
};
