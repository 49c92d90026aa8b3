// SPDX-License-Identifier: MIT
// Pretty-printing JSON as written: QJsonDocument keeps objects in a hash and prints their
// keys sorted, which re-orders a payload ({"device", "temp", "at"} came out as at, device,
// temp). This re-indents the text itself — key order, number spelling and escapes untouched —
// after QJsonDocument has said it is valid JSON.
#pragma once

#include <QByteArray>
#include <QString>

namespace json_pretty {

// `json` indented by `indent` spaces per level, in its own key order. Returns a null QString
// when `json` is not valid JSON; then *error (if given) says why.
QString format(const QByteArray& json, int indent = 4, QString* error = nullptr);

}  // namespace json_pretty
