// SPDX-License-Identifier: MIT
// CompareSession: compare mode's two logs. Given the monitor's running session `a` (one log)
// and the Options of another log (e.g. another segment size), it owns a second LogSession `b`
// made from those options, whose own simulated source never runs: b is fed by a copier thread
// (RecordCopier) that streams every record of a's log, from a's next offset when compare
// starts, and writes the same payload into b's — so both logs hold the same records in the
// same order and at the same offsets (b starts at that offset). b's consumers mirror a's (same
// names and paces), so the only difference between the two is the Options.
//
// When a's log is replaced (reconfigured, crashed and replayed, another shard shown) the copier
// stops before the swap and b gets a fresh log with b's options at the new log's first offset:
// the two stay offset for offset. If the copier falls behind a's purge (a small segment on a,
// a busy machine), the records it could not read are counted (lostToPurge) and it resumes at
// a's earliest; b's offsets then run that many behind a's.
//
// Threading: a GUI-thread object; the copier thread never touches a QObject.
#pragma once

#include <QObject>
#include <QPointer>

#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include <memlog/log.hpp>
#include <memlog/source/consumer.hpp>

#include "compare/record_copier.hpp"

class LogSession;
struct Frame;

// One side's figures for the compare window, from one frame of that side's log.
struct CompareFigures {
  std::size_t segmentSize = 0;
  std::int64_t retainedRecords = 0;     // history + active
  std::int64_t maxRetainedRecords = 0;  // 2 × segment size
  double writeRate = 0;                 // records/s written to this log lately (measured)
  double retainedSeconds = -1;          // retainedRecords / writeRate; -1 while nothing is written
  std::size_t memoryBytes = 0;          // Stats::memory_bytes
  std::uint64_t purges = 0;
  std::uint64_t recordsPurged = 0;
  memlog::Offset nextOffset = 0;
  // Paired across the sides: consumers[i] of a and of b are the same consumer; one that is
  // missing on a side (removed there) is a stopped snapshot with the name.
  std::vector<memlog::sim::ConsumerSnapshot> consumers;
};

class CompareSession : public QObject {
  Q_OBJECT

 public:
  enum class Side { a, b };

  // `a` must outlive compare mode or be destroyed first (the copier then stops); `other` must
  // be valid (log_limits::validate); its start_offset is replaced by a's next offset.
  CompareSession(LogSession* a, memlog::Options other, QObject* parent = nullptr);
  ~CompareSession() override;  // stops the copier, then b goes

  LogSession* a() const;  // null once a was destroyed
  LogSession* b() const { return m_b; }

  // Records written to b so far, and those a purged before the copier read them.
  std::uint64_t copied() const { return m_copier.copied(); }
  std::uint64_t lostToPurge() const { return m_copier.lost(); }
  // Records of a written but not copied yet (the copier's lag).
  std::int64_t copyLag() const;
  bool isCopying() const { return m_copier.running(); }

  // The figures of a side, refreshed on every frame of a (figuresChanged).
  const CompareFigures& figures(Side side) const { return side == Side::a ? m_figuresA : m_figuresB; }

  // A consumer with these options on both logs (the same name, pace and start; a start offset
  // that b never held becomes b's earliest). Returns a's id.
  int addConsumer(const memlog::sim::ConsumerOptions& options);

  // Stops the copier for good (closing compare mode); b keeps what it has. Idempotent.
  void stop();

 signals:
  void figuresChanged();
  // The copier fell behind a's purge again: `total` records could not be copied so far.
  void lostToPurgeChanged(quint64 total);

 private:
  struct RateMeter {                                       // records/s over the last two seconds of one log's frames
    std::deque<std::pair<qint64, std::uint64_t>> samples;  // (elapsed ms, records written)
    quint64 lastFrame = 0;
    double rate = 0;
    void add(const Frame& frame);
  };

  void startCopier(memlog::Offset from);
  void followReplacedLog();
  void mirrorConsumer(int aId);
  void forgetConsumer(int aId);
  void refreshFigures();
  static CompareFigures figuresOf(const Frame& frame, double rate);

  QPointer<LogSession> m_a;
  LogSession* m_b;
  memlog::Options m_options;  // b's
  RecordCopier m_copier;
  bool m_stopped = false;
  bool m_adding = false;                      // addConsumer is adding to a: not a consumer to mirror
  std::vector<std::pair<int, int>> m_paired;  // (a's id, b's id)
  RateMeter m_rateA, m_rateB;
  CompareFigures m_figuresA, m_figuresB;
  std::uint64_t m_lostSeen = 0;
};
