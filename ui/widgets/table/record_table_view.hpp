// SPDX-License-Identifier: MIT
// RecordTableView: the record table with its tools — follows the newest records while
// scrolled to the bottom (scrolling up stops following and shows "Jump to newest"), go to
// offset, a text filter, export — and a detail pane showing the selected record's payload as
// pretty JSON (in its own key order), text and hex. Selecting a record stops following; the
// pane stays on that offset, and when the purge drops it, keeps showing it under a banner
// that says when it was purged. A lesson may point at a row (pointAt): the table scrolls to
// it and keeps it in view as rows come and go, until the user scrolls.
//
// Threading: GUI thread only.
#pragma once

#include <QWidget>

class LogAdapter;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableView;
class RecordFilterProxy;
class RecordTableModel;
class ShardSet;

class RecordTableView : public QWidget {
  Q_OBJECT

 public:
  explicit RecordTableView(LogAdapter* adapter, QWidget* parent = nullptr);

  RecordTableModel* model() const { return m_model; }
  QTableView* table() const { return m_table; }
  bool isFollowing() const { return m_following; }
  // Selects and shows `offset`; a message explaining why not when it is purged or not written.
  bool goToOffset(qint64 offset, QString* why = nullptr);
  void setFilter(const QString& text);
  // A sharded log: shard and key columns next to the offset, a filter by key, and go to
  // "SHARD:OFFSET" (another shard is shown first). Call once, at start.
  void showShards(ShardSet* shards);
  void setKeyFilter(const QString& key);  // exact key; empty = all
  // Shows `shard` (sharded) and selects `offset` in it; why not when it cannot.
  bool goToShardOffset(int shard, qint64 offset, QString* why = nullptr);
  // Writes the records shown (after the filter) as JSON lines or CSV.
  bool exportShown(const QString& path, bool csv, QString* error = nullptr) const;
  // The detail pane's texts, for tests: JSON, text, hex.
  QString detailText(int tab) const;
  qint64 shownOffset() const { return m_shownOffset; }  // -1: none
  QString purgedNotice() const;                         // the banner's text; empty when hidden

  // The row a lesson points at: none, the earliest record retained, the newest one (followed),
  // or the record at an offset (of the shard shown, when sharded).
  enum class Row { none, earliest, latest, offset };
  // Scrolls to that row (without selecting it: the detail pane stays as it is) and keeps it in
  // view as rows arrive and are purged, until the user scrolls; one that is not in the table
  // yet is scrolled to when it comes. Row::none: nothing is pointed at.
  void pointAt(Row row, qint64 offset = -1);
  // Where the row pointed at is drawn, in this widget's coordinates: empty when it is not in the
  // table (not written yet, purged, hidden by the filter) or not in sight.
  QRect pointedRect() const;

 public slots:
  void setFollowing(bool following);
  void jumpToNewest();
  void focusFilter();
  void focusGoTo();
  void exportWithDialog();

 private:
  void showDetail(qint64 offset);
  void onCurrentChanged(const QModelIndex& current);
  void afterRowsRemoved();
  void onScrolled();
  int pointedRow() const;         // in the table's (filtered) rows; -1: none
  QRect rowCells(int row) const;  // the row's cells, in the table's viewport
  void keepPointedInView();

  LogAdapter* m_adapter;
  RecordTableModel* m_model;
  RecordFilterProxy* m_proxy;
  QTableView* m_table;
  QLineEdit* m_filter;
  QLineEdit* m_goTo;
  QLineEdit* m_keyFilter = nullptr;  // sharded only
  ShardSet* m_shards = nullptr;
  QLabel* m_message;
  QPushButton* m_jump;
  QTabWidget* m_detail;
  QLabel* m_purgedBanner;
  QPlainTextEdit* m_json;
  QPlainTextEdit* m_text;
  QPlainTextEdit* m_hex;
  bool m_following = true;
  bool m_autoScrolling = false;
  bool m_removingRows = false;  // the purge is removing rows: current-index changes are not the user's
  qint64 m_shownOffset = -1;    // the record in the detail pane
  Row m_pointed = Row::none;    // what pointAt() points at, and whether it is still kept in view
  qint64 m_pointedOffset = -1;
  bool m_keepPointed = false;
};
