// SPDX-License-Identifier: MIT
// FrameClock: every frame is one picture — the consumers reconciled with the log's stats of
// the same frame — so what the views show together is true together.
#include <QSignalSpy>
#include <QTest>

#include "adapter/log_session.hpp"
#include "panels/consumer_table_model.hpp"
#include "segments/segment_geometry.hpp"

using memlog::sim::ConsumerStart;
using memlog::sim::ConsumerState;

class TestFrameClock : public QObject {
  Q_OBJECT

 private slots:
  // While a fast source writes into small segments and consumers of every pace read, each
  // frame's consumers agree with its stats: a consumer shown running is inside the retained
  // range (never in the purged zone), at most at the next offset, with lag = next - position.
  void everyFrameIsConsistent() {
    LogSession session({.segment_size = 20}, {.rate = 3000});
    session.frames()->setInterval(5);
    for (double pace : {0.0, 0.0, 500.0, 20.0})  // two keep up, one lags, one is overtaken
      session.consumers()->add({.name = "c", .pace = pace, .start = ConsumerStart::earliest});
    int frames = 0, running = 0, overtaken = 0;
    connect(session.frames(), &FrameClock::frame, this, [&](const Frame& f) {
      ++frames;
      const SegmentGeometry g = SegmentGeometry::from(f.stats);
      for (const auto& c : f.consumers) {
        if (c.state == ConsumerState::live || c.state == ConsumerState::lagging) {
          ++running;
          QVERIFY2(f.stats.range.empty() || c.position >= f.stats.range.earliest,
                   qPrintable(QStringLiteral("frame %1: running at %2, earliest %3")
                                  .arg(f.number)
                                  .arg(c.position)
                                  .arg(f.stats.range.earliest)));
          QVERIFY(c.position <= f.stats.next_offset);
          QCOMPARE(c.lag, f.stats.next_offset - c.position);
          QVERIFY(g.markerX(c.position) >= 0);  // its marker is on a segment, not in the purged zone
        } else if (c.state == ConsumerState::fell_behind) {
          ++overtaken;
          QVERIFY(c.error == memlog::Errc::out_of_range);
        }
      }
    });
    session.source()->start();
    QTRY_VERIFY_WITH_TIMEOUT(frames >= 100 && overtaken > 0 && running > 0, 20000);
    session.source()->pause();
  }

  // A consumer whose next record the frame's stats show purged is overtaken in that frame,
  // even before its own thread has tried to read it; the table says so in words.
  void purgedPositionIsOvertakenAtOnce() {
    LogSession session({.segment_size = 10}, {.rate = 0});
    const int id = session.consumers()->add({.name = "slow", .pace = 1, .start = ConsumerStart::earliest});
    auto log = session.adapter()->log();
    for (int i = 0; i < 100; ++i) QVERIFY(log->write("r").has_value());  // purges far past offset 1
    session.frames()->tick();
    const Frame& f = session.frames()->current();
    QCOMPARE(f.consumers.size(), 1u);
    const auto& c = f.consumers.front();
    QCOMPARE(c.id, id);
    QCOMPARE(c.state, ConsumerState::fell_behind);
    QVERIFY(c.position < f.stats.range.earliest);
    QVERIFY(SegmentGeometry::from(f.stats).markerX(c.position) < 0);
    const QString text = ConsumerTableModel::errorText(c);
    QVERIFY2(text.startsWith(QStringLiteral("overtaken by the purge at offset %1 — resume from the earliest record "
                                            "or from the checkpoint")
                                 .arg(c.position)),
             qPrintable(text));
  }

  // The source's counters come with the frame too.
  void sourceCountersInTheFrame() {
    LogSession session({.segment_size = 100}, {.rate = 0});
    QSignalSpy frames(session.frames(), &FrameClock::frame);
    for (int i = 0; i < 7; ++i) session.source()->step();
    session.frames()->tick();
    QCOMPARE(session.frames()->current().source.written, 7u);
    QCOMPARE(session.frames()->current().stats.records_written, 7u);
    QVERIFY(frames.count() >= 1);
  }
};

QTEST_MAIN(TestFrameClock)
#include "tst_frame_clock.moc"
