// SPDX-License-Identifier: MIT
#include "table/record_table_view.hpp"

#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "adapter/log_adapter.hpp"
#include "encoding/record_export.hpp"
#include "shards/shard_set.hpp"
#include "table/json_pretty.hpp"
#include "table/record_table_model.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

namespace {
// Text and hex render at most this much: a 1 MiB payload opens at once, the rest is exported.
constexpr qsizetype kDetailLimit = qsizetype{64} * 1024;

QString hexDump(const QByteArray& bytes) {
  QString out;
  const qsizetype n = std::min(bytes.size(), kDetailLimit);
  out.reserve(n * 4);
  for (qsizetype row = 0; row < n; row += 16) {
    out += u"%1  "_s.arg(static_cast<qlonglong>(row), 8, 16, QChar(u'0'));
    QString ascii;
    for (qsizetype i = row; i < row + 16; ++i) {
      if (i < n) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        out += u"%1 "_s.arg(static_cast<uint>(b), 2, 16, QChar(u'0'));
        ascii += (b >= 32 && b < 127) ? QChar(static_cast<char16_t>(b)) : QChar(u'.');
      } else {
        out += u"   "_s;
      }
    }
    out += u' ' + ascii + u'\n';
  }
  if (bytes.size() > n) out += u"… %1 more bytes (export the record to see them all)\n"_s.arg(bytes.size() - n);
  return out;
}
}  // namespace

// The payload filter (text, any case) and, for a sharded log, the key filter (the exact key).
class RecordFilterProxy : public QSortFilterProxyModel {
 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;
  void setKey(const QString& key) {
    m_key = key;
    invalidateFilter();
  }

 protected:
  bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
    if (!m_key.isEmpty() && sourceModel()->index(row, RecordTableModel::KeyColumn, parent).data().toString() != m_key)
      return false;
    return QSortFilterProxyModel::filterAcceptsRow(row, parent);
  }

 private:
  QString m_key;
};

RecordTableView::RecordTableView(LogAdapter* adapter, QWidget* parent)
    : QWidget(parent),
      m_adapter(adapter),
      m_model(new RecordTableModel(adapter, this)),
      m_proxy(new RecordFilterProxy(this)) {
  // While the purge removes rows, the selection model moves the current index to a neighbour;
  // that is not the user choosing another record. Connected before the proxy, so this runs
  // before the selection model hears of the removal (the end is connected after it).
  connect(m_model, &QAbstractItemModel::rowsAboutToBeRemoved, this, [this] { m_removingRows = true; });
  m_proxy->setSourceModel(m_model);
  connect(m_model, &QAbstractItemModel::rowsRemoved, this, &RecordTableView::afterRowsRemoved);
  m_proxy->setFilterKeyColumn(RecordTableModel::PayloadColumn);
  m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

  m_filter = new QLineEdit(this);
  m_filter->setPlaceholderText(u"Filter payloads (Ctrl+F)"_s);
  m_filter->setClearButtonEnabled(true);
  m_goTo = new QLineEdit(this);
  m_goTo->setPlaceholderText(u"Go to offset (Ctrl+G)"_s);
  m_goTo->setMaximumWidth(180);
  m_message = new QLabel(this);
  Theme::tint(m_message, Theme::Message::warning);
  m_jump = new QPushButton(u"Jump to newest ↓"_s, this);
  m_jump->setToolTip(u"Follow the newest records again (F)"_s);
  m_jump->hide();

  m_table = new QTableView(this);
  m_table->setModel(m_proxy);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->verticalHeader()->hide();
  m_table->verticalHeader()->setDefaultSectionSize(22);
  m_table->horizontalHeader()->setStretchLastSection(true);
  m_table->setColumnWidth(RecordTableModel::OffsetColumn, 90);
  m_table->setColumnWidth(RecordTableModel::CreatedColumn, 100);
  m_table->setColumnWidth(RecordTableModel::SizeColumn, 60);
  m_table->setAlternatingRowColors(true);
  m_table->setToolTip(
      u"The records the log retains now: the history segment, then the active one. "
      "Rows leave at the top when a purge drops the history."_s);

  auto makeText = [this] {
    auto* edit = new QPlainTextEdit(this);
    edit->setReadOnly(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(QFont(u"monospace"_s));
    return edit;
  };
  m_json = makeText();
  m_text = makeText();
  m_hex = makeText();
  for (QPlainTextEdit* edit : {m_json, m_text, m_hex})
    edit->setPlaceholderText(
        u"Select a record to see its payload here: click a row, use the arrow keys, or go to an offset (Ctrl+G). "
        "Selecting stops following the newest records; F or Jump to newest follows them again."_s);
  m_purgedBanner = new QLabel(this);
  m_purgedBanner->setWordWrap(true);
  m_purgedBanner->setObjectName(u"purgedBanner"_s);
  m_purgedBanner->setMargin(6);
  Theme::tint(m_purgedBanner, Theme::Message::notice);
  m_purgedBanner->hide();
  m_detail = new QTabWidget(this);
  m_detail->addTab(m_json, u"JSON"_s);
  m_detail->addTab(m_text, u"Text"_s);
  m_detail->addTab(m_hex, u"Hex"_s);

  auto* tools = new QHBoxLayout;
  tools->addWidget(m_filter, 2);
  tools->addWidget(m_goTo, 1);
  tools->addWidget(m_message, 2);
  tools->addWidget(m_jump);
  auto* detailPane = new QWidget(this);
  auto* detailLayout = new QVBoxLayout(detailPane);
  detailLayout->setContentsMargins(0, 0, 0, 0);
  detailLayout->setSpacing(2);
  detailLayout->addWidget(m_purgedBanner);
  detailLayout->addWidget(m_detail);
  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(m_table);
  splitter->addWidget(detailPane);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({3000, 1000});  // the table three quarters, from the first layout on
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(tools);
  layout->addWidget(splitter);

  connect(m_filter, &QLineEdit::textChanged, this, &RecordTableView::setFilter);
  connect(m_goTo, &QLineEdit::returnPressed, this, [this] {
    // "OFFSET", or for a sharded log "SHARD:OFFSET" (a leading # allowed: "#3:120").
    const QString text = m_goTo->text().trimmed();
    const qsizetype colon = m_shards ? text.indexOf(u':') : -1;
    bool ok = false, shardOk = true;
    const qint64 offset = text.mid(colon + 1).trimmed().toLongLong(&ok);
    const int shard = colon < 0 ? -1 : text.left(colon).trimmed().remove(u'#').toInt(&shardOk);
    QString why;
    if (!ok || !shardOk)
      why = m_shards ? u"'%1' is not an offset or SHARD:OFFSET"_s.arg(text.left(40))
                     : u"'%1' is not an offset"_s.arg(text.left(40));
    else if (colon >= 0)
      goToShardOffset(shard, offset, &why);
    else
      goToOffset(offset, &why);
    m_message->setText(why);
  });
  connect(m_jump, &QPushButton::clicked, this, &RecordTableView::jumpToNewest);
  connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, &RecordTableView::onScrolled);
  connect(m_model, &RecordTableModel::rowsSynced, this, [this] {
    keepPointedInView();
    if (!m_following) return;
    m_autoScrolling = true;
    m_table->scrollToBottom();
    m_autoScrolling = false;
  });
  connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RecordTableView::onCurrentChanged);

  new QShortcut(QKeySequence(u"Ctrl+F"_s), this, this, &RecordTableView::focusFilter);
  new QShortcut(QKeySequence(u"Ctrl+G"_s), this, this, &RecordTableView::focusGoTo);
  new QShortcut(QKeySequence(u"F"_s), m_table, [this] { setFollowing(!m_following); });
}

void RecordTableView::onCurrentChanged(const QModelIndex& current) {
  if (m_removingRows || !current.isValid()) return;  // the purge or the filter moved it, not the user
  const qint64 offset = m_proxy->data(current, RecordTableModel::OffsetRole).toLongLong();
  if (offset == m_shownOffset && m_purgedBanner->isHidden()) return;
  // Choosing a record stops following, as log viewers do: the table stays where the user is.
  setFollowing(false);
  showDetail(offset);
}

void RecordTableView::afterRowsRemoved() {
  m_removingRows = false;
  if (m_shownOffset < 0 || m_shownOffset >= m_model->firstOffset() || !m_purgedBanner->isHidden()) return;
  // The record shown was purged: keep showing it, say so, and select nothing else.
  m_purgedBanner->setText(u"Offset %1 was purged at %2: the log no longer retains it (shown as it was)."_s.arg(
      QLocale().toString(m_shownOffset), QTime::currentTime().toString(u"HH:mm:ss"_s)));
  m_purgedBanner->show();
  m_removingRows = true;  // clearing is not a choice of the user's either
  m_table->selectionModel()->clear();
  m_removingRows = false;
}

void RecordTableView::onScrolled() {
  if (m_autoScrolling) return;
  m_keepPointed = false;  // the user looks elsewhere: a lesson's row no longer pulls the table back
  QScrollBar* bar = m_table->verticalScrollBar();
  setFollowing(bar->value() >= bar->maximum());  // at the bottom: follow; scrolled up: stop
}

void RecordTableView::setFollowing(bool following) {
  m_following = following;
  m_jump->setVisible(!following);
  if (following) {
    m_autoScrolling = true;
    m_table->scrollToBottom();
    m_autoScrolling = false;
  }
}

void RecordTableView::jumpToNewest() { setFollowing(true); }
void RecordTableView::focusFilter() { m_filter->setFocus(Qt::ShortcutFocusReason); }
void RecordTableView::focusGoTo() { m_goTo->setFocus(Qt::ShortcutFocusReason); }

void RecordTableView::setFilter(const QString& text) {
  if (m_filter->text() != text) m_filter->setText(text);
  m_proxy->setFilterFixedString(text);
}

void RecordTableView::showShards(ShardSet* shards) {
  m_shards = shards;
  m_model->showShards(shards);
  QHeaderView* header = m_table->horizontalHeader();
  header->moveSection(header->visualIndex(RecordTableModel::ShardColumn), 1);
  header->moveSection(header->visualIndex(RecordTableModel::KeyColumn), 2);
  m_table->setColumnWidth(RecordTableModel::ShardColumn, 56);
  m_table->setColumnWidth(RecordTableModel::KeyColumn, 110);
  m_keyFilter = new QLineEdit(this);
  m_keyFilter->setPlaceholderText(u"Key"_s);
  m_keyFilter->setToolTip(
      u"Only the records of this key (exactly). A key's records are all on one shard: "
      u"the one shown must be its shard (see Routing: which shard?)."_s);
  m_keyFilter->setClearButtonEnabled(true);
  m_keyFilter->setMaximumWidth(160);
  if (auto* tools = qobject_cast<QHBoxLayout*>(layout()->itemAt(0)->layout())) tools->insertWidget(1, m_keyFilter, 1);
  m_goTo->setPlaceholderText(u"Go to [shard:]offset (Ctrl+G)"_s);
  m_goTo->setToolTip(u"An offset in the shard shown, or SHARD:OFFSET (e.g. 3:120) to show another shard's."_s);
  connect(m_keyFilter, &QLineEdit::textChanged, this, &RecordTableView::setKeyFilter);
}

void RecordTableView::setKeyFilter(const QString& key) {
  if (m_keyFilter && m_keyFilter->text() != key) m_keyFilter->setText(key);
  m_proxy->setKey(key);
}

bool RecordTableView::goToShardOffset(int shard, qint64 offset, QString* why) {
  if (!m_shards) return goToOffset(offset, why);
  if (shard < 0 || shard >= m_shards->count()) {
    if (why) *why = u"There is no shard %1: the log has shards 0 to %2."_s.arg(shard).arg(m_shards->count() - 1);
    return false;
  }
  m_shards->requestFocus(shard);  // the session shows it now (the adapter's log is swapped at once)
  return goToOffset(offset, why);
}

bool RecordTableView::goToOffset(qint64 offset, QString* why) {
  const memlog::Range range = m_adapter->log()->range();
  auto explain = [&](const QString& message) {
    if (why) *why = message;
    return false;
  };
  if (range.empty()) return explain(u"The log is empty."_s);
  if (offset < range.earliest)
    return explain(u"Offset %1 has been purged: the log now starts at %2."_s.arg(offset).arg(range.earliest));
  if (offset > range.latest)
    return explain(u"Offset %1 is not written yet: the newest is %2."_s.arg(offset).arg(range.latest));
  m_model->sync();
  const int row = m_model->rowOf(offset);
  const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
  if (!index.isValid()) return explain(u"Offset %1 is hidden by the filter."_s.arg(offset));
  setFollowing(false);
  m_table->setCurrentIndex(index);
  m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
  if (m_shownOffset != offset || !m_purgedBanner->isHidden()) showDetail(offset);
  if (why) why->clear();
  return true;
}

void RecordTableView::showDetail(qint64 offset) {
  m_shownOffset = offset;
  m_purgedBanner->hide();
  const auto record = m_model->record(m_model->rowOf(offset));
  if (!record) {
    const QString gone = u"(offset %1 has been purged)"_s.arg(offset);
    m_json->setPlainText(gone);
    m_text->setPlainText(gone);
    m_hex->setPlainText(gone);
    return;
  }
  const QByteArray bytes(reinterpret_cast<const char*>(record->data().data()), static_cast<qsizetype>(record->size()));
  if (bytes.size() > kDetailLimit) {
    m_json->setPlainText(
        u"(%1 bytes: too large to pretty-print here; see Text and Hex, or export)"_s.arg(bytes.size()));
  } else {
    QString error;
    const QString pretty = json_pretty::format(bytes, 4, &error);  // the payload's own key order
    m_json->setPlainText(pretty.isNull() ? u"(not JSON: %1)"_s.arg(error) : pretty);
  }
  QString text = QString::fromUtf8(bytes.left(kDetailLimit));
  if (bytes.size() > kDetailLimit) text += u"\n… %1 more bytes"_s.arg(bytes.size() - kDetailLimit);
  m_text->setPlainText(text);
  m_hex->setPlainText(hexDump(bytes));
}

QString RecordTableView::detailText(int tab) const {
  const QPlainTextEdit* edits[] = {m_json, m_text, m_hex};
  return tab >= 0 && tab < 3 ? edits[tab]->toPlainText() : QString();
}

bool RecordTableView::exportShown(const QString& path, bool csv, QString* error) const {
  std::vector<memlog::Record> records;
  records.reserve(static_cast<std::size_t>(m_proxy->rowCount()));
  for (int row = 0; row < m_proxy->rowCount(); ++row)
    if (auto r = m_model->record(m_proxy->mapToSource(m_proxy->index(row, 0)).row())) records.push_back(std::move(*r));
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
    if (error) *error = file.errorString();
    return false;
  }
  const bool ok = csv ? record_export::writeCsv(file, records) : record_export::writeJsonLines(file, records);
  if (!ok && error) *error = file.errorString();
  return ok;
}

void RecordTableView::exportWithDialog() {
  QString selected;
  const QString path = QFileDialog::getSaveFileName(this, u"Export records"_s, u"records.jsonl"_s,
                                                    u"JSON lines (*.jsonl);;CSV (*.csv)"_s, &selected);
  if (path.isEmpty()) return;
  QString error;
  if (!exportShown(path, selected.startsWith(u"CSV"_s) || path.endsWith(u".csv"_s), &error))
    m_message->setText(u"Export failed: %1"_s.arg(error));
  else
    m_message->setText(u"Exported to %1"_s.arg(path));
}

QString RecordTableView::purgedNotice() const {
  return m_purgedBanner->isHidden() ? QString() : m_purgedBanner->text();
}

void RecordTableView::pointAt(Row row, qint64 offset) {
  m_pointed = row;
  m_pointedOffset = row == Row::offset ? offset : -1;
  m_keepPointed = row != Row::none;
  if (row == Row::latest)
    setFollowing(true);  // the newest row moves on: following keeps it in view
  else if (row != Row::none)
    setFollowing(false);  // else the next records would scroll it away
  keepPointedInView();
}

int RecordTableView::pointedRow() const {
  switch (m_pointed) {
    case Row::earliest:
      return m_proxy->rowCount() > 0 ? 0 : -1;
    case Row::latest:
      return m_proxy->rowCount() - 1;
    case Row::offset: {
      const int row = m_model->rowOf(m_pointedOffset);
      return row < 0 ? -1 : m_proxy->mapFromSource(m_model->index(row, 0)).row();
    }
    case Row::none:
      break;
  }
  return -1;
}

QRect RecordTableView::rowCells(int row) const {
  QRect cells;
  for (int column = 0; column < m_proxy->columnCount(); ++column)
    if (!m_table->isColumnHidden(column)) cells |= m_table->visualRect(m_proxy->index(row, column));
  return cells;
}

QRect RecordTableView::pointedRect() const {
  const int row = pointedRow();
  if (row < 0) return {};
  const QWidget* viewport = m_table->viewport();
  const QRect rect = rowCells(row).intersected(viewport->rect());
  return rect.isEmpty() ? QRect() : rect.translated(viewport->mapTo(this, QPoint(0, 0)));
}

void RecordTableView::keepPointedInView() {
  // The newest row is kept by following; the others are scrolled to when not wholly in sight
  // (not yet there, or moved up by a purge).
  if (!m_keepPointed || m_pointed == Row::latest) return;
  const int row = pointedRow();
  if (row < 0 || m_table->viewport()->rect().contains(rowCells(row))) return;
  m_autoScrolling = true;
  if (m_pointed == Row::earliest)
    m_table->scrollToTop();
  else
    m_table->scrollTo(m_proxy->index(row, 0), QAbstractItemView::PositionAtCenter);
  m_autoScrolling = false;
}
