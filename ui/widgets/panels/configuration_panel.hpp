// SPDX-License-Identifier: MIT
// ConfigurationPanel: the log's options — segment size, max record size, start offset —
// applied through the adapter (which replaces the log), after a confirmation since that drops
// the retained records. Invalid values are refused with a clear message; the old log runs on.
// An empty start offset continues the offsets where the current log ends (the default), so an
// offset keeps naming one record across a reconfiguration; the confirmation says which it is.
//
// Under the fields, "What if" says what the fields' values would mean at the write rate,
// payload size and per-record overhead measured on the live log, frame by frame: retention in
// records and seconds, memory, the seal/purge cadence, and which current consumers the purge
// would overtake at their pace (in the error colour, and in words). The figures are
// what_if::whatIf's. While a value is invalid there is none, and the message says why as it is
// typed.
//
// Threading: GUI thread only.
#pragma once

#include <QWidget>

#include <QtGlobal>

#include <functional>
#include <optional>
#include <vector>

#include <memlog/options.hpp>

#include "adapter/what_if.hpp"

struct Frame;
class FrameClock;
class LogAdapter;
class QLabel;
class QSpinBox;
class QLineEdit;

class ConfigurationPanel : public QWidget {
  Q_OBJECT

 public:
  ConfigurationPanel(LogAdapter* adapter, FrameClock* frames, QWidget* parent = nullptr);

  void setConfirmationEnabled(bool enabled) { m_confirm = enabled; }  // off in tests
  // A sharded log is not replaced through the adapter (which holds one shard): `replace` starts
  // a new one with the options instead, and returns why not (empty when it does).
  void setReplacer(std::function<QString(const memlog::Options&)> replace) { m_replace = std::move(replace); }
  // Sets the fields (as a user would type them) and applies; returns the error shown, if any.
  QString apply(const QString& segmentSize, const QString& maxRecordBytes, const QString& startOffset);
  QString message() const;
  // The what-if area's text (rich text), or empty while the fields are invalid.
  QString whatIfText() const;
  // The confirmation's text for replacing the current log with one made from `options`.
  QString confirmation(const memlog::Options& options) const;

 public slots:
  void applyFromFields();

 private:
  void showCurrent();
  // The options the fields describe, or nullopt with the reason in *why.
  std::optional<memlog::Options> parseFields(QString* why) const;
  // Takes the write rate, the payload size, the overhead and the consumers from a frame.
  void measure(const Frame& frame);
  void showWhatIf();

  LogAdapter* m_adapter;
  QLineEdit* m_segmentSize;
  QLineEdit* m_maxRecordBytes;
  QLineEdit* m_startOffset;
  QLabel* m_message;
  QLabel* m_whatIf;
  // Measured on the live log (see measure()); empty until measured.
  struct RateSample {
    qint64 ms = 0;
    quint64 written = 0;
  };
  std::optional<RateSample> m_rateAnchor;
  std::optional<double> m_writeRate;
  std::optional<double> m_meanPayload;
  std::optional<double> m_overhead;
  bool m_overheadOfThisLog = false;  // m_overhead was measured on the current log
  std::vector<what_if::ConsumerPace> m_consumers;
  bool m_confirm = true;
  std::function<QString(const memlog::Options&)> m_replace;
};
