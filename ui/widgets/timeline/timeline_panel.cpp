// SPDX-License-Identifier: MIT
#include "timeline/timeline_panel.hpp"

#include <QHeaderView>
#include <QListView>
#include <QScrollBar>
#include <QTableView>

#include "adapter/log_session.hpp"
#include "timeline/event_timeline_model.hpp"
#include "timeline/purge_event_model.hpp"

using namespace Qt::StringLiterals;

namespace {
// Keeps a view at its newest row while the user has not scrolled up.
void followTail(QAbstractItemView* view, QAbstractItemModel* model) {
  QObject::connect(model, &QAbstractItemModel::rowsInserted, view, [view] {
    QScrollBar* bar = view->verticalScrollBar();
    if (bar->value() >= bar->maximum() - 2) view->scrollToBottom();
  });
}
}  // namespace

TimelinePanel::TimelinePanel(LogSession* session, QWidget* parent)
    : QTabWidget(parent),
      m_events(new EventTimelineModel(session, this)),
      m_purges(new PurgeEventModel(session->adapter(), this)) {
  m_purges->showShards(session->shards());
  auto* events = new QListView(this);
  events->setModel(m_events);
  // Sentences wrap at the dock's edge and their rows grow, rather than being cut off; rows are
  // laid out again as the width changes, in batches so a long story does not stall the GUI.
  events->setWordWrap(true);
  events->setTextElideMode(Qt::ElideNone);
  events->setResizeMode(QListView::Adjust);
  events->setLayoutMode(QListView::Batched);
  events->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  events->setToolTip(
      u"The log's story: seals, purges, consumers falling behind and catching up, new logs and replays."_s);
  followTail(events, m_events);
  auto* purges = new QTableView(this);
  purges->setModel(m_purges);
  purges->verticalHeader()->hide();
  purges->horizontalHeader()->setStretchLastSection(true);
  purges->setToolTip(u"Each purge drops the whole history segment when a full active segment is sealed."_s);
  followTail(purges, m_purges);
  addTab(events, u"Timeline"_s);
  addTab(purges, u"Purges"_s);
}
