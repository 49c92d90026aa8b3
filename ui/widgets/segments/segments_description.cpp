// SPDX-License-Identifier: MIT
#include "segments/segments_description.hpp"

#include <QLocale>

#include <cmath>

#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

QString describeSegments(const SegmentGeometry& g, std::size_t segmentSize,
                         std::span<const memlog::sim::ConsumerSnapshot> consumers) {
  const QLocale locale;
  auto number = [&](qint64 n) { return locale.toString(n); };
  auto records = [&](double fill) {
    return static_cast<qint64>(std::llround(fill * static_cast<double>(segmentSize)));
  };
  const QString size = number(static_cast<qint64>(segmentSize));
  QString text = g.hasHistory ? u"history offsets %1–%2, %3 of %4 records; "_s.arg(
                                    number(g.historyFirst), number(g.historyLast), number(records(g.historyFill)), size)
                              : u"no history yet; "_s;
  const qint64 inActive = records(g.activeFill);
  text += u"active offsets %1–%2, %3 of %4 records, next write at %5; "_s.arg(
      number(g.activeFirst), number(g.activeLast), number(inActive), size, number(g.activeFirst + inActive));
  if (consumers.empty()) return text + u"no consumers"_s;
  text += u"consumers: "_s;
  for (std::size_t i = 0; i < consumers.size(); ++i) {
    const auto& c = consumers[i];
    if (i > 0) text += u", "_s;
    text += u"%1 at %2 %3"_s.arg(QString::fromStdString(c.name), number(c.position), Theme::stateWord(c.state));
  }
  return text;
}
