// SPDX-License-Identifier: MIT
// Theme: every colour the monitor draws with, in one place. Light and dark variants of a
// colour-blind-safe palette (Okabe & Ito's hues), chosen from the application palette (dark
// when the window colour's lightness is under 128), so the app follows the desktop — or the
// Fusion light/dark palette `--theme` sets. Every colour meant as text reads on the background
// it is drawn on (contrast ratio ≥ 4.5, WCAG 2), lines and markers at ≥ 3; colours that are
// pushed below that by an unusual desktop palette are darkened or lightened until they read.
//
// Colour never carries a meaning alone: consumer states also have a shape (stateMarker) and a
// word (stateWord), segments a title, and messages their text.
//
// Threading: GUI thread only (of() keeps a small cache).
#pragma once

#include <QColor>
#include <QImage>
#include <QPalette>
#include <QPointF>
#include <QString>
#include <QStringView>

#include <array>
#include <optional>

#include <memlog/source/consumer.hpp>

class QPainter;
class QWidget;

struct Theme {
  enum class Scheme { system, light, dark };
  enum class Message { warning, error, success, info, notice };  // notice: a banner, text on noticeFill
  // Hues of the Okabe–Ito palette, as readable text on the theme's background.
  enum class Accent { blue, skyBlue, bluishGreen, orange, vermillion, reddishPurple, yellow };

  bool dark = false;
  QColor background;  // Base: where the views paint
  QColor window;      // Window: where labels sit
  QColor text;
  QColor mutedText;                          // secondary labels ("Purged"), still readable
  QColor frame;                              // segment outlines, axis lines
  QColor grid;                               // chart grid lines: faint on purpose, not information
  QColor historyFill, activeFill;            // the segments' bars; `text` reads on them
  QColor sealGlow;                           // the ring around a just-sealed segment
  QColor sealText;                           // "just sealed"
  QColor live, lagging, overtaken, stopped;  // consumer states: markers, labels, table text
  QColor warning, error, success, info;      // message labels, on `window`
  QColor noticeFill;                         // a banner's background (a warm tint); `text` reads on it
  QColor purgeMarker;                        // purges on the charts
  std::array<QColor, 6> series;              // chart lines, in order; ≥ 3:1 on the background

  QColor state(memlog::sim::ConsumerState state) const;
  QColor message(Message message) const;
  QColor accent(Accent accent) const;
  QColor seriesColor(int index) const { return series[static_cast<std::size_t>(index) % series.size()]; }

  // The theme for a palette (light or dark by its window colour); cached per palette.
  static Theme of(const QPalette& palette);
  // The theme for the application's palette (a light one when there is no GUI application).
  static Theme current();
  static bool isDark(const QPalette& palette) { return palette.color(QPalette::Window).lightness() < 128; }

  // --theme: "light", "dark" or "system" (any case); nothing for anything else.
  static std::optional<Scheme> schemeFromString(QStringView text);
  // The Fusion palette of a scheme (system: the application palette as it is).
  static QPalette palette(Scheme scheme);
  // light/dark: the Fusion style and its palette for the whole application; system: leaves the
  // desktop's style and palette alone. Needs a QApplication.
  static void apply(Scheme scheme);

  // WCAG 2 contrast ratio of two opaque colours: 1 (same) to 21 (black on white).
  static double contrast(const QColor& a, const QColor& b);
  // `color` (blended over `background` if translucent), made darker or lighter — hue kept —
  // until it reaches `ratio` against `background`.
  static QColor readable(const QColor& color, const QColor& background, double ratio = 4.5);

  // A consumer state's word: "live", "lagging", "overtaken by the purge", "stopped".
  static QString stateWord(memlog::sim::ConsumerState state);
  // A consumer state's marker, centred on `at`, `size` pixels across: a filled triangle (live),
  // a filled diamond (lagging), a cross in a ring (overtaken), a hollow circle (stopped).
  void drawStateMarker(QPainter& painter, QPointF at, double size, memlog::sim::ConsumerState state) const;
  // The same marker as a small image (for item views' decoration role; no QPixmap, so it works
  // in a GUI-less test too).
  QImage stateIcon(memlog::sim::ConsumerState state, int size = 14, qreal devicePixelRatio = 1) const;

  // Shows `widget`'s text (its WindowText) in a message colour — or, for a notice, the text on
  // the notice fill — and keeps it so when the application palette changes (light ↔ dark).
  // Replaces colour style sheets, which do not follow the palette.
  static void tint(QWidget* widget, Message message);
};
