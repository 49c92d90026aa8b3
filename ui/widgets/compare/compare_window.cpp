// SPDX-License-Identifier: MIT
#include "compare/compare_window.hpp"

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScreen>
#include <QShortcut>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

#include "adapter/log_session.hpp"
#include "compare/compare_words.hpp"
#include "lessons/lesson_player.hpp"
#include "lessons/lessons_panel.hpp"
#include "segments/segments_view.hpp"
#include "shards/shard_map_view.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;
using compare_words::Verdict;

namespace {
enum Row { retainedRow, retentionRow, memoryRow, purgesRow, shardsRow };
enum ColumnIndex { figureColumn, valueColumn, markColumn };
constexpr int kShowEveryMs = 200;  // numbers that change 30 times a second cannot be read

QTableWidgetItem* cell(QTableWidget* table, int row, int column) {
  QTableWidgetItem* item = table->item(row, column);
  if (item == nullptr) {
    item = new QTableWidgetItem;
    item->setFlags(Qt::ItemIsEnabled);
    table->setItem(row, column, item);
  }
  return item;
}

void setText(QTableWidget* table, int row, int column, const QString& text, const QString& tip = {}) {
  QTableWidgetItem* item = cell(table, row, column);
  if (item->text() != text) item->setText(text);
  item->setToolTip(tip);
}

// The mark's words, bold whenever it says something; better and worse also in their colour.
void setMark(QTableWidget* table, int row, const compare_words::Mark& mark, const Theme& theme) {
  QTableWidgetItem* item = cell(table, row, markColumn);
  if (item->text() != mark.words) item->setText(mark.words);
  QFont font = table->font();
  font.setBold(mark.verdict != Verdict::same);
  item->setFont(font);
  QColor color = theme.text;
  if (mark.verdict == Verdict::better) color = Theme::readable(theme.success, theme.background);
  if (mark.verdict == Verdict::worse) color = Theme::readable(theme.error, theme.background);
  if (mark.verdict == Verdict::same) color = theme.mutedText;
  item->setForeground(color);
}

// The table as tall as its rows (the picture above takes the rest), scrolling past 12 rows.
// Its minimum too: a table's size hint is a fixed 192 px, which the layout would keep (the
// picture has the stretch), hiding the consumers' rows behind a scroll bar.
void fitHeight(QTableWidget* table) {
  int height = table->horizontalHeader()->sizeHint().height() + 2 * table->frameWidth();
  for (int row = 0; row < std::min(table->rowCount(), 12); ++row) height += table->verticalHeader()->sectionSize(row);
  table->setFixedHeight(height);
}

QString retainedText(const CompareFigures& f) {
  const QLocale locale;
  return locale.toString(static_cast<qint64>(f.retainedRecords)) + u" of up to "_s +
         locale.toString(static_cast<qint64>(f.maxRetainedRecords)) + u" records"_s;
}

QString retentionText(const CompareFigures& f) {
  if (f.retainedSeconds < 0) return u"— (nothing written now)"_s;
  const QLocale locale;
  const int decimals = f.retainedSeconds < 10 ? 2 : 0;
  const QString seconds = locale.toString(f.retainedSeconds, 'f', decimals) + u" s"_s;
  if (f.shards > 0) return seconds + u" on shard "_s + QString::number(f.shortestShard);
  return seconds + u" at "_s + locale.toString(f.writeRate, 'f', 0) + u" records/s"_s;
}

// What the retention of a sharded log means, with the total rate the short text leaves out.
QString retentionTip(const CompareFigures& f) {
  QString tip = u"How long a record stays, at the rate records are written now: the retained records ÷ the rate."_s;
  if (f.shards == 0 || f.retainedSeconds < 0) return tip;
  return tip +
         u" Sharded, each shard keeps its own two segments: this is the shortest any shard keeps a record "
         "(shard %1's records ÷ its rate), with %2 records/s written in all."_s.arg(f.shortestShard)
             .arg(QLocale().toString(f.writeRate, 'f', 0));
}

QString shardsText(const CompareFigures& f) {
  if (f.shards == 0) return u"one log"_s;
  QString text = QString::number(f.shards) + u" ("_s + QString::fromStdString(f.sharder) + u')';
  if (f.skew > 0) text += u", busiest at "_s + QLocale().toString(f.skew, 'f', 1) + u"× the mean"_s;
  return text;
}

QString titleOf(const CompareFigures& f) {
  const QString size = u"segment size "_s + QString::number(f.segmentSize);
  return f.shards > 0 ? QString::number(f.shards) + u" shards × "_s + size : size;
}
}  // namespace

CompareWindow::CompareWindow(LogSession* a, const memlog::Options& other, const ShardingOptions& sharding,
                             QWidget* parent)
    : QWidget(parent, Qt::Window),
      m_session(new CompareSession(a, other, sharding, this)),
      m_firstConsumerRow(a->isSharded() || sharding.sharded() ? shardsRow + 1 : shardsRow) {
  setAttribute(Qt::WA_DeleteOnClose);
  setWindowTitle(u"Compare two logs — memlog monitor"_s);
  // Two columns of a segments picture (≥ 360 px) and a table, with the rows above and below.
  setMinimumSize(820, 560);
  // Its size hint where the screen has room for it: shown without a size, Qt opens a window at
  // two thirds of the screen at most (853×560 on a 1280×720 projector), too narrow for the
  // tables' marks.
  resize(sizeHint().boundedTo(screen()->availableGeometry().size()));

  auto* intro = new QLabel(
      u"The same records written into two logs: the monitor's (left) and one with other options or shards "
      "(right), each read by the same consumers. For every figure the better and the worse side are marked."_s,
      this);
  intro->setWordWrap(true);
  m_copier = new QLabel(this);
  m_lost = new QLabel(this);
  m_lost->setWordWrap(true);
  Theme::tint(m_lost, Theme::Message::warning);
  m_lost->hide();

  auto* columns = new QHBoxLayout;
  columns->addWidget(makeColumn(m_a, a, u"the monitor's log"_s, u"figuresA"_s), 1);
  columns->addWidget(makeColumn(m_b, m_session->b(), u"another log, the same records"_s, u"figuresB"_s), 1);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addWidget(m_copier);
  layout->addWidget(m_lost);
  layout->addLayout(columns, 1);
  layout->addWidget(makeAddRow());

  connect(m_session, &CompareSession::figuresChanged, this, [this] { showFigures(false); });
  connect(m_session, &CompareSession::lostToPurgeChanged, this, &CompareWindow::showCopier);
  connect(a, &QObject::destroyed, this, &QWidget::close);  // nothing left to compare with
  showFigures(true);
}

CompareWindow::~CompareWindow() { m_session->stop(); }

void CompareWindow::showLesson(LessonPlayer* player) {
  if (m_lesson) return;
  m_lesson = new LessonsPanel(this);
  m_lesson->setCompact(true);
  m_lesson->setPlayer(player);
  static_cast<QBoxLayout*>(layout())->insertWidget(0, m_lesson);
  // The main window's keys, here too (a text field keeps its own).
  for (const QKeySequence& key : {QKeySequence(Qt::Key_Right), QKeySequence(Qt::Key_Space)})
    connect(new QShortcut(key, this), &QShortcut::activated, player, [player] {
      if (!player->isFinished()) player->next();
    });
  connect(new QShortcut(QKeySequence(Qt::Key_Left), this), &QShortcut::activated, player, &LessonPlayer::back);
}

void CompareWindow::placeOver(const QRect& monitor, const QRect& screen) {
  QRect placed(QPoint(0, 0), frameGeometry().size());
  placed.moveCenter(monitor.center());
  placed.moveLeft(
      std::clamp(placed.left(), screen.left(), std::max(screen.left(), screen.right() + 1 - placed.width())));
  placed.moveTop(std::clamp(placed.top(), screen.top(), std::max(screen.top(), screen.bottom() + 1 - placed.height())));
  move(placed.topLeft());
}

QString CompareWindow::title(CompareSession::Side side) const { return column(side).title->text(); }

void CompareWindow::closeEvent(QCloseEvent* event) {
  // Stopped at once; the second log goes with the window (WA_DeleteOnClose) a moment later.
  m_session->stop();
  QWidget::closeEvent(event);
}

QWidget* CompareWindow::makeColumn(Column& column, LogSession* session, const QString& role, const QString& name) {
  auto* box = new QWidget(this);
  column.title = new QLabel(box);
  QFont big = column.title->font();
  big.setBold(true);
  big.setPointSizeF(big.pointSizeF() * 1.3);
  column.title->setFont(big);
  auto* roleLabel = new QLabel(role, box);
  roleLabel->setForegroundRole(QPalette::PlaceholderText);  // secondary, and follows the palette
  QWidget* picture = nullptr;
  if (ShardSet* shards = session->shards()) {
    column.shardMap = new ShardMapView(shards, box);
    column.shardMap->showConsumers(session->consumers());
    picture = column.shardMap;
  } else {
    column.segments = new SegmentsView(session->adapter(), session->frames(), box);
    picture = column.segments;
  }

  column.figures = new QTableWidget(m_firstConsumerRow, 3, box);
  column.figures->setObjectName(name);
  column.figures->setHorizontalHeaderLabels({u"Figure"_s, u"This log"_s, u"Compared with the other"_s});
  column.figures->verticalHeader()->hide();
  column.figures->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  column.figures->horizontalHeader()->setStretchLastSection(true);
  column.figures->setSelectionMode(QAbstractItemView::NoSelection);
  column.figures->setEditTriggers(QAbstractItemView::NoEditTriggers);
  column.figures->setWordWrap(false);
  setText(column.figures, retainedRow, figureColumn, u"Retained"_s,
          u"Records the log holds now: at most two segments (the history and the active one)."_s);
  setText(column.figures, retentionRow, figureColumn, u"Retention"_s,
          u"How long a record stays, at the rate records are written now: the retained records ÷ the rate."_s);
  setText(column.figures, memoryRow, figureColumn, u"Memory"_s,
          u"Memory the log holds now: its records' slots and payloads."_s);
  setText(column.figures, purgesRow, figureColumn, u"Purges since opened"_s,
          u"Purges since compare mode was opened. Each purge drops the old history segment whole: smaller "
          "segments purge more often, fewer records at a time."_s);
  if (m_firstConsumerRow > shardsRow)
    setText(column.figures, shardsRow, figureColumn, u"Shards"_s,
            u"How many logs the records are spread over by key, and how uneven the load is: the busiest "
            "shard's write rate over the mean. Each shard keeps two segments, so more shards keep more records "
            "for longer — and the busiest shard keeps them the shortest."_s);
  fitHeight(column.figures);

  auto* header = new QHBoxLayout;
  header->addWidget(column.title);
  header->addWidget(roleLabel, 1, Qt::AlignBottom);
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(header);
  layout->addWidget(picture, 1);
  layout->addWidget(column.figures);
  return box;
}

QWidget* CompareWindow::makeAddRow() {
  auto* row = new QWidget(this);
  m_name = new QLineEdit(row);
  m_name->setPlaceholderText(u"name (optional)"_s);
  m_pace = new QSpinBox(row);
  m_pace->setRange(0, 10'000'000);
  m_pace->setValue(50);
  m_pace->setSpecialValueText(u"unthrottled"_s);
  m_pace->setSuffix(u"/s"_s);
  m_pace->setToolTip(u"Records per second it reads on each log; 0 = as fast as it can."_s);
  m_add = new QPushButton(u"Add consumer to both"_s, row);
  m_add->setToolTip(u"The same consumer on both logs, from each log's earliest record."_s);
  connect(m_add, &QPushButton::clicked, this, [this] {
    ++m_added;
    QString name = m_name->text().trimmed();
    if (name.isEmpty()) name = u"both-"_s + QString::number(m_added);
    memlog::sim::ConsumerOptions options;
    options.name = name.toStdString();
    options.pace = m_pace->value();
    m_session->addConsumer(options);
    m_name->clear();
    showFigures(true);
  });
  connect(m_name, &QLineEdit::returnPressed, m_add, &QPushButton::click);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(u"Add a consumer to both logs:"_s, row));
  layout->addWidget(m_name, 1);
  layout->addWidget(m_pace);
  layout->addWidget(m_add);
  return row;
}

void CompareWindow::showFigures(bool now) {
  if (!now && m_sinceShown.isValid() && m_sinceShown.elapsed() < kShowEveryMs) return;
  m_sinceShown.start();
  const CompareFigures& a = m_session->figures(CompareSession::Side::a);
  const CompareFigures& b = m_session->figures(CompareSession::Side::b);
  fillColumn(m_a, a, b);
  fillColumn(m_b, b, a);
  showCopier();
}

void CompareWindow::fillColumn(const Column& column, const CompareFigures& mine, const CompareFigures& theirs) {
  using compare_words::Figure;
  const Theme theme = Theme::of(palette());
  const QLocale locale;
  column.title->setText(titleOf(mine));
  QTableWidget* table = column.figures;
  const int rows = m_firstConsumerRow + static_cast<int>(mine.consumers.size());
  if (table->rowCount() != rows) {
    table->setRowCount(rows);
    fitHeight(table);
  }

  setText(table, retainedRow, valueColumn, retainedText(mine));
  setMark(table, retainedRow,
          compare_words::mark(Figure::retainedRecords, static_cast<double>(mine.retainedRecords),
                              static_cast<double>(theirs.retainedRecords)),
          theme);
  setText(table, retentionRow, valueColumn, retentionText(mine), retentionTip(mine));
  setMark(table, retentionRow,
          compare_words::mark(Figure::retainedSeconds, mine.retainedSeconds, theirs.retainedSeconds), theme);
  setText(table, memoryRow, valueColumn, locale.formattedDataSize(static_cast<qint64>(mine.memoryBytes)));
  setMark(table, memoryRow,
          compare_words::mark(Figure::memory, static_cast<double>(mine.memoryBytes),
                              static_cast<double>(theirs.memoryBytes)),
          theme);
  setText(table, purgesRow, valueColumn,
          locale.toString(static_cast<qulonglong>(mine.purges)) + u" ("_s +
              locale.toString(static_cast<qulonglong>(mine.recordsPurged)) + u" records)"_s);
  setMark(table, purgesRow,
          compare_words::mark(Figure::purges, static_cast<double>(mine.purges), static_cast<double>(theirs.purges)),
          theme);
  if (m_firstConsumerRow > shardsRow) {
    setText(table, shardsRow, valueColumn, shardsText(mine));
    setMark(table, shardsRow, compare_words::mark(Figure::skew, mine.skew, theirs.skew), theme);
  }

  for (std::size_t i = 0; i < mine.consumers.size(); ++i) {
    const auto& consumer = mine.consumers[i];
    const int row = m_firstConsumerRow + static_cast<int>(i);
    setText(table, row, figureColumn, u"Consumer “"_s + QString::fromStdString(consumer.name) + u"”"_s);
    setText(table, row, valueColumn, compare_words::consumerText(consumer));
    cell(table, row, valueColumn)->setData(Qt::DecorationRole, theme.stateIcon(consumer.state));
    cell(table, row, valueColumn)->setForeground(theme.state(consumer.state));
    const compare_words::Mark mark = i < theirs.consumers.size()
                                         ? compare_words::consumerMark(consumer, theirs.consumers[i])
                                         : compare_words::Mark{};
    setMark(table, row, mark, theme);
  }
}

void CompareWindow::showCopier() {
  const QLocale locale;
  const std::int64_t behind = m_session->copyLag();
  QString text = u"Copied "_s + locale.toString(static_cast<qulonglong>(m_session->copied())) +
                 u" records from the left log into the right one"_s;
  if (!m_session->isCopying())
    text += u" (stopped)"_s;
  else if (behind > 0)
    text += u" ("_s + locale.toString(static_cast<qint64>(behind)) + u" not copied yet)"_s;
  if (const std::uint64_t refused = m_session->refused(); refused > 0)
    text += u"; "_s + locale.toString(static_cast<qulonglong>(refused)) +
            u" refused by the right log (no key to shard them by, or over its record limit)"_s;
  m_copier->setText(text + u'.');
  const std::uint64_t lost = m_session->lostToPurge();
  m_lost->setVisible(lost > 0);
  // Offsets run behind only where they correspond: two single logs.
  const LogSession* a = m_session->a();
  const bool offsetsShared = a != nullptr && !a->isSharded() && !m_session->b()->isSharded();
  if (lost > 0)
    m_lost->setText(locale.toString(static_cast<qulonglong>(lost)) +
                    u" records were purged on the left before the copier read them: the right log does not have "
                    "them"_s +
                    (offsetsShared ? u", and its offsets run that many behind."_s : u"."_s));
}
