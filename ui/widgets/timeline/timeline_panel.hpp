// SPDX-License-Identifier: MIT
// TimelinePanel: the event timeline and the list of purges, as two tabs; both follow the
// newest entry while scrolled to the bottom.
//
// Threading: GUI thread only.
#pragma once

#include <QTabWidget>

class LogSession;
class EventTimelineModel;
class PurgeEventModel;

class TimelinePanel : public QTabWidget {
  Q_OBJECT

 public:
  explicit TimelinePanel(LogSession* session, QWidget* parent = nullptr);
  EventTimelineModel* events() const { return m_events; }
  PurgeEventModel* purges() const { return m_purges; }

 private:
  EventTimelineModel* m_events;
  PurgeEventModel* m_purges;
};
