// SPDX-License-Identifier: MIT
// The retained records of a log as text, oldest first: what tests compare against.
#pragma once

#include <QString>
#include <QStringList>

#include <memlog/log.hpp>

inline QStringList logText(const memlog::Log& log) {
  QStringList out;
  const memlog::Range r = log.range();
  if (r.empty()) return out;
  for (memlog::Offset o = r.earliest; o <= r.latest; ++o) {
    const auto record = log.read(o);
    out << (record ? QString::fromUtf8(record->text().data(), static_cast<qsizetype>(record->text().size()))
                   : QStringLiteral("<purged>"));
  }
  return out;
}
