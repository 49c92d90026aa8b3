// SPDX-License-Identifier: MIT
// RecordTableView: the record table with its tools — follows the newest records while
// scrolled to the bottom (scrolling up stops following and shows "Jump to newest"), go to
// offset, a text filter, export — and a detail pane showing the selected record's payload as
// pretty JSON, text and hex.
//
// Threading: GUI thread only.
#pragma once

#include <QWidget>

class LogAdapter;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class RecordTableModel;

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
  // Writes the records shown (after the filter) as JSON lines or CSV.
  bool exportShown(const QString& path, bool csv, QString* error = nullptr) const;
  // The detail pane's texts, for tests: JSON, text, hex.
  QString detailText(int tab) const;

 public slots:
  void setFollowing(bool following);
  void jumpToNewest();
  void focusFilter();
  void focusGoTo();
  void exportWithDialog();

 private:
  void showDetail();
  void onScrolled();

  LogAdapter* m_adapter;
  RecordTableModel* m_model;
  QSortFilterProxyModel* m_proxy;
  QTableView* m_table;
  QLineEdit* m_filter;
  QLineEdit* m_goTo;
  QLabel* m_message;
  QPushButton* m_jump;
  QTabWidget* m_detail;
  QPlainTextEdit* m_json;
  QPlainTextEdit* m_text;
  QPlainTextEdit* m_hex;
  bool m_following = true;
  bool m_autoScrolling = false;
};
