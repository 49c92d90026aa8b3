// SPDX-License-Identifier: MIT
// ChartsPanel: the log over the last two minutes — writes/s and each consumer's reads/s (with
// the purges as markers), each consumer's lag, and the retained records and bytes. Sampled
// every 500 ms into fixed-size ring buffers; each series gets its points once per tick with
// QXYSeries::replace, never point by point. Paused, the charts stand still for inspection
// while sampling goes on; resumed, they catch up at once. A lesson may emphasise one series:
// it is drawn wider and the other series of its chart fade, until the emphasis moves or ends.
//
// Threading: GUI thread only.
#pragma once

#include <QElapsedTimer>
#include <QPointF>
#include <QTimer>
#include <QWidget>

#include <deque>
#include <map>

#include <memlog/log.hpp>

class ConsumerController;
class LogAdapter;
class QAbstractSeries;
class QCheckBox;
class QChart;
class QChartView;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
class QXYSeries;

class ChartsPanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kSampleMs = 500;
  static constexpr int kWindowSeconds = 120;

  ChartsPanel(LogAdapter* adapter, ConsumerController* consumers, QWidget* parent = nullptr);

  bool isPaused() const { return m_paused; }
  QCheckBox* pauseBox() const { return m_pauseBox; }
  int samples() const { return static_cast<int>(m_writes.size()); }
  // The points a series shows now (for tests): "writes", "retained", "purges", or "lag:<name>".
  QList<QPointF> shown(const QString& series) const;
  // A chart by what it shows ("writes", "lag", "retained"), e.g. for a lesson's highlight.
  QWidget* chart(const QString& which) const;
  // Only that chart shown ("writes", "lag", "retained"; empty: all of them), e.g. on a projector.
  void showOnly(const QString& which);
  // A series by a lesson's name for it (lessons/lesson_highlight.hpp, chartSeriesNames): in
  // "writes", the series "writes", "purges" and "reads:CONSUMER"; in "lag", "CONSUMER"; in
  // "retained", "records" and "payload". nullptr when there is none (yet: a consumer's series
  // come with the first sample after it was added).
  QXYSeries* series(const QString& chart, const QString& name) const;
  // Emphasises that series (as series() names it) — wider, the other series of its chart faded —
  // also when it comes later; an empty chart ends the emphasis and restores every pen.
  void emphasise(const QString& chart, const QString& name);
  // Where the legend shows that series (its marker and label), in the coordinates of
  // chart(chart); empty when it does not: the legend hidden, or no such series yet.
  QRectF legendRect(const QString& chart, const QString& name) const;

 public slots:
  void setPaused(bool paused);
  void sample();  // one sampling tick (normally from the timer)

 protected:
  void changeEvent(QEvent* event) override;                    // palette changes: the charts follow
  bool eventFilter(QObject* watched, QEvent* event) override;  // a focused chart: keys zoom and scroll

 private:
  using Ring = std::deque<QPointF>;
  struct ConsumerSeries {
    Ring reads, lag;
    QLineSeries* readsSeries = nullptr;
    QLineSeries* lagSeries = nullptr;
    QString name;
    std::uint64_t lastConsumed = 0;
  };
  void push(Ring& ring, QPointF point);
  void publish();
  void applyTheme();    // the charts in the palette's colours (Theme): at the start and on a change
  void colourSeries();  // series colours: colour-blind safe, one per consumer in both charts
  void describe();      // accessible descriptions: each chart's latest values
  QChartView* view(const QString& chart) const;

  LogAdapter* m_adapter;
  ConsumerController* m_consumerController;
  QTimer m_timer;
  QElapsedTimer m_clock;
  bool m_paused = false;
  QCheckBox* m_pauseBox = nullptr;  // the panel's own "Pause charts", kept in step with setPaused
  QChart* m_throughput;
  QChart* m_lagChart;
  QChart* m_retainedChart;
  QLineSeries* m_writesSeries;
  QScatterSeries* m_purgeSeries;
  QLineSeries* m_retainedSeries;
  QLineSeries* m_bytesSeries;
  Ring m_writes, m_purges, m_retained, m_bytes;
  std::map<int, ConsumerSeries> m_consumers;
  std::vector<QChartView*> m_views;
  QString m_emphasisChart, m_emphasisSeries;  // what emphasise() named; empty: nothing
  std::uint64_t m_lastWritten = 0;
  std::uint64_t m_lastPurges = 0;
  memlog::Offset m_lastNext = -1;
};
