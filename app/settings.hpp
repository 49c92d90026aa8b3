// SPDX-License-Identifier: MIT
// Settings: what memlog-monitor remembers between runs (QSettings), read back with checks —
// a corrupt or out-of-range stored value falls back to its default with a warning to show,
// never a crash. The command line overrides what is remembered.
#pragma once

#include <QSettings>
#include <QStringList>

#include "command_line.hpp"

namespace settings {

// Fills what the command line did not give from `store`; appends a warning per bad value.
void load(QSettings& store, MonitorOptions& options, QStringList& warnings);
// Saves `options` as they are at the end of a run that began as `started`. A value given on the
// command line (started.has…) is saved only if it changed in the window since: a one-off
// `--rate 100000` or a scripted --headless run does not become the next run's default.
void save(QSettings& store, const MonitorOptions& options, const MonitorOptions& started = {});

}  // namespace settings
