// SPDX-License-Identifier: MIT
// Theme: for light and dark palettes (ours, and desktop-like ones) every colour meant as text
// reads on its background (WCAG contrast ≥ 4.5), lines and markers at ≥ 3; the consumer states
// stay apart for normal vision and simulated colour vision deficiencies, and differ in shape
// too; --theme's words; and the painted views, the charts and tinted labels follow a palette
// change at run time.
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QTest>

#include <array>
#include <cmath>

#include "adapter/log_session.hpp"
#include "charts/charts_panel.hpp"
#include "segments/segments_view.hpp"
#include "theme/theme.hpp"

using memlog::sim::ConsumerState;

namespace {
const std::array<ConsumerState, 4> kStates{ConsumerState::live, ConsumerState::lagging, ConsumerState::fell_behind,
                                           ConsumerState::stopped};

// A desktop's own palette, as Qt would hand it over (not one of ours).
QPalette desktop(QColor window, QColor base, QColor text, QColor placeholder) {
  QPalette p(window);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::PlaceholderText, placeholder);
  return p;
}

// sRGB → linear → simulated deficiency (Machado, Oliveira & Fernandes 2009, severity 1) → CIELAB.
double linear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }
using Vec = std::array<double, 3>;
using Matrix = std::array<Vec, 3>;
const Matrix kNormal{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
const Matrix kProtanopia{
    {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}}};
const Matrix kDeuteranopia{
    {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}}};
const Matrix kTritanopia{
    {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}}};

Vec lab(const QColor& color, const Matrix& vision) {
  const Vec rgb{linear(color.redF()), linear(color.greenF()), linear(color.blueF())};
  Vec seen{};
  for (std::size_t i = 0; i < 3; ++i)
    seen[i] = std::clamp(vision[i][0] * rgb[0] + vision[i][1] * rgb[1] + vision[i][2] * rgb[2], 0.0, 1.0);
  const double x = (0.4124 * seen[0] + 0.3576 * seen[1] + 0.1805 * seen[2]) / 0.95047;
  const double y = 0.2126 * seen[0] + 0.7152 * seen[1] + 0.0722 * seen[2];
  const double z = (0.0193 * seen[0] + 0.1192 * seen[1] + 0.9505 * seen[2]) / 1.08883;
  auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116; };
  return {116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
}
double deltaE(const QColor& a, const QColor& b, const Matrix& vision) {
  const Vec p = lab(a, vision), q = lab(b, vision);
  return std::hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

// The shape of a state's marker, whatever its colour: which pixels it covers.
QImage mask(const Theme& theme, ConsumerState state) {
  return theme.stateIcon(state, 24).convertToFormat(QImage::Format_Alpha8);
}
}  // namespace

class TestTheme : public QObject {
  Q_OBJECT

 private slots:
  void cleanup() { QApplication::setPalette(Theme::palette(Theme::Scheme::light)); }

  void palettes_data() {
    QTest::addColumn<QPalette>("palette");
    QTest::addColumn<bool>("dark");
    QTest::addRow("--theme light") << Theme::palette(Theme::Scheme::light) << false;
    QTest::addRow("--theme dark") << Theme::palette(Theme::Scheme::dark) << true;
    QTest::addRow("a light desktop, faint placeholder")
        << desktop(QColor(0xef, 0xf0, 0xf1), Qt::white, QColor(0x23, 0x26, 0x29), QColor(0x23, 0x26, 0x29, 0x80))
        << false;
    QTest::addRow("a dark desktop (Breeze-like)") << desktop(QColor(0x31, 0x36, 0x3b), QColor(0x23, 0x26, 0x29),
                                                             QColor(0xef, 0xf0, 0xf1), QColor(0xef, 0xf0, 0xf1, 0x80))
                                                  << true;
    QTest::addRow("a grey desktop, low contrast") << desktop(QColor(0xc0, 0xc0, 0xc0), QColor(0xd0, 0xd0, 0xd0),
                                                             QColor(0x50, 0x50, 0x50), QColor(0x90, 0x90, 0x90))
                                                  << false;
    QTest::addRow("a black desktop") << desktop(Qt::black, Qt::black, Qt::white, Qt::gray) << true;
  }

  void detectsDarkness_data() { palettes_data(); }
  void detectsDarkness() {
    QFETCH(QPalette, palette);
    QFETCH(bool, dark);
    QCOMPARE(Theme::isDark(palette), dark);
    QCOMPARE(Theme::of(palette).dark, dark);
  }

  void textReads_data() { palettes_data(); }
  void textReads() {
    QFETCH(QPalette, palette);
    const Theme t = Theme::of(palette);
    auto check = [](const char* what, const QColor& fore, const QColor& back, double least) {
      const double ratio = Theme::contrast(fore, back);
      QVERIFY2(ratio >= least, qPrintable(QStringLiteral("%1: %2 on %3 is %4:1, below %5:1")
                                              .arg(QString::fromLatin1(what), fore.name(), back.name())
                                              .arg(ratio, 0, 'f', 2)
                                              .arg(least)));
    };
    // Text on the views' background.
    check("text", t.text, t.background, 4.5);
    check("muted text", t.mutedText, t.background, 4.5);
    check("'just sealed'", t.sealText, t.background, 4.5);
    for (ConsumerState s : kStates) check(qPrintable(Theme::stateWord(s)), t.state(s), t.background, 4.5);
    for (Theme::Accent a :
         {Theme::Accent::blue, Theme::Accent::skyBlue, Theme::Accent::bluishGreen, Theme::Accent::orange,
          Theme::Accent::vermillion, Theme::Accent::reddishPurple, Theme::Accent::yellow})
      check("timeline accent", t.accent(a), t.background, 4.5);
    // Messages on the window colour (labels) and on the background.
    for (Theme::Message m :
         {Theme::Message::warning, Theme::Message::error, Theme::Message::success, Theme::Message::info}) {
      check("message on the window", t.message(m), t.window, 4.5);
      check("message on the background", t.message(m), t.background, 4.5);
    }
    // Text drawn over the segments' bars and a notice banner.
    check("text on the history bar", t.text, t.historyFill, 4.5);
    check("text on the active bar", t.text, t.activeFill, 4.5);
    check("text on a notice", t.text, t.noticeFill, 4.5);
    // Lines and markers: 3:1 (WCAG's non-text contrast).
    check("segment frame", t.frame, t.background, 3);
    check("purge marker", t.purgeMarker, t.background, 3);
    for (const QColor& line : t.series) check("chart line", line, t.background, 3);
  }

  void statesStayApart_data() {
    QTest::addColumn<bool>("dark");
    QTest::addColumn<Matrix>("vision");
    for (bool dark : {false, true}) {
      const char* scheme = dark ? "dark" : "light";
      QTest::addRow("%s, normal vision", scheme) << dark << kNormal;
      QTest::addRow("%s, protanopia", scheme) << dark << kProtanopia;
      QTest::addRow("%s, deuteranopia", scheme) << dark << kDeuteranopia;
      QTest::addRow("%s, tritanopia", scheme) << dark << kTritanopia;
    }
  }
  void statesStayApart() {
    QFETCH(bool, dark);
    QFETCH(Matrix, vision);
    const Theme t = Theme::of(Theme::palette(dark ? Theme::Scheme::dark : Theme::Scheme::light));
    for (std::size_t i = 0; i < kStates.size(); ++i)
      for (std::size_t j = i + 1; j < kStates.size(); ++j) {
        const double d = deltaE(t.state(kStates[i]), t.state(kStates[j]), vision);
        QVERIFY2(d >= 20, qPrintable(QStringLiteral("%1 and %2: ΔE %3")
                                         .arg(Theme::stateWord(kStates[i]), Theme::stateWord(kStates[j]))
                                         .arg(d, 0, 'f', 1)));
      }
  }

  // Told apart without colour: each state has its own shape and its own word.
  void statesDifferInShapeAndWord() {
    const Theme t = Theme::of(Theme::palette(Theme::Scheme::light));
    for (std::size_t i = 0; i < kStates.size(); ++i) {
      QVERIFY(!Theme::stateWord(kStates[i]).isEmpty());
      for (std::size_t j = i + 1; j < kStates.size(); ++j) {
        QVERIFY(Theme::stateWord(kStates[i]) != Theme::stateWord(kStates[j]));
        const QImage a = mask(t, kStates[i]), b = mask(t, kStates[j]);
        int differing = 0;
        for (int y = 0; y < a.height(); ++y)
          for (int x = 0; x < a.width(); ++x)
            differing += std::abs(qAlpha(a.pixel(x, y)) - qAlpha(b.pixel(x, y))) > 128;
        QVERIFY2(differing >= 30, qPrintable(QStringLiteral("%1 and %2 differ in %3 pixels")
                                                 .arg(Theme::stateWord(kStates[i]), Theme::stateWord(kStates[j]))
                                                 .arg(differing)));
      }
    }
  }

  void schemeFromString_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("scheme");  // -1: refused
    QTest::addRow("light") << QStringLiteral("light") << static_cast<int>(Theme::Scheme::light);
    QTest::addRow("dark") << QStringLiteral("dark") << static_cast<int>(Theme::Scheme::dark);
    QTest::addRow("system") << QStringLiteral("system") << static_cast<int>(Theme::Scheme::system);
    QTest::addRow("any case, spaces") << QStringLiteral(" Dark ") << static_cast<int>(Theme::Scheme::dark);
    QTest::addRow("unknown") << QStringLiteral("purple") << -1;
    QTest::addRow("empty") << QString() << -1;
  }
  void schemeFromString() {
    QFETCH(QString, text);
    QFETCH(int, scheme);
    const auto parsed = Theme::schemeFromString(text);
    QCOMPARE(parsed ? static_cast<int>(*parsed) : -1, scheme);
  }

  // The painted picture, the charts and a tinted label follow the application palette as it
  // changes at run time (a desktop switching to dark, or --theme).
  void viewsFollowAPaletteChange() {
    LogSession session({.segment_size = 10}, {.rate = 0});
    for (int i = 0; i < 14; ++i) session.source()->step();
    QWidget window;
    auto* segments = new SegmentsView(session.adapter(), session.frames(), &window);
    segments->setGeometry(0, 0, 600, 200);
    auto* charts = new ChartsPanel(session.adapter(), session.consumers(), &window);
    charts->setGeometry(0, 200, 900, 260);
    auto* label = new QLabel(QStringLiteral("Source: connection refused"), &window);
    Theme::tint(label, Theme::Message::warning);
    window.resize(900, 480);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    for (Theme::Scheme scheme : {Theme::Scheme::dark, Theme::Scheme::light, Theme::Scheme::dark}) {
      QApplication::setPalette(Theme::palette(scheme));
      QCoreApplication::processEvents();  // the change reaches the widgets as posted events
      const Theme theme = Theme::of(Theme::palette(scheme));
      const bool dark = scheme == Theme::Scheme::dark;
      // The segments picture: its background, and its words still reading.
      const QImage picture = segments->grab().toImage();
      QCOMPARE(QColor(picture.pixel(2, picture.height() - 2)).lightness() < 128, dark);
      // The charts: background, title and axis labels in the palette's colours.
      for (QChartView* view : charts->findChildren<QChartView*>()) {
        QCOMPARE(view->chart()->backgroundBrush().color(), theme.background);
        QCOMPARE(view->chart()->titleBrush().color(), theme.text);
        for (QAbstractAxis* axis : view->chart()->axes()) QCOMPARE(axis->labelsColor(), theme.text);
      }
      // A warning label: its colour for this palette.
      QCOMPARE(label->palette().color(QPalette::WindowText), theme.warning);
    }
  }
};

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"
