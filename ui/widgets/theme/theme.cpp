// SPDX-License-Identifier: MIT
#include "theme/theme.hpp"

#include <QApplication>
#include <QEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>
#include <QStyle>
#include <QStyleFactory>
#include <QWidget>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;
using memlog::sim::ConsumerState;

namespace {
// Okabe & Ito, "Color Universal Design" (2008): hues that stay apart for the common colour
// vision deficiencies. Used as they are on dark backgrounds, darkened to read on light ones.
const QColor kBlue(0x00, 0x72, 0xb2);
const QColor kSkyBlue(0x56, 0xb4, 0xe9);
const QColor kBluishGreen(0x00, 0x9e, 0x73);
const QColor kOrange(0xe6, 0x9f, 0x00);
const QColor kVermillion(0xd5, 0x5e, 0x00);
const QColor kReddishPurple(0xcc, 0x79, 0xa7);
const QColor kYellow(0xf0, 0xe4, 0x42);

// The consumer states, picked so that every pair stays at least ΔE 25 apart (CIELAB) for
// normal vision and simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009),
// each at ≥ 4.5:1 on white (light) or on a dark grey (dark). tst_theme checks both.
struct StateColors {
  QColor live, lagging, overtaken, stopped;
};
const StateColors kLightStates{QColor(0x00, 0x72, 0xb2), QColor(0x94, 0x68, 0x00), QColor(0x8b, 0x0d, 0x1c),
                               QColor(0x69, 0x69, 0x69)};
const StateColors kDarkStates{QColor(0x56, 0xb4, 0xe9), QColor(0xf0, 0xe4, 0x42), QColor(0xff, 0x5a, 0x36),
                              QColor(0x9a, 0x9a, 0x9a)};

double linear(double channel) {
  return channel <= 0.04045 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
}
double luminance(const QColor& c) {
  return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF());
}

// a at (1 - k), b at k, channel by channel (opaque).
QColor mix(const QColor& a, const QColor& b, double k) {
  auto channel = [k](double x, double y) { return x * (1 - k) + y * k; };
  return QColor::fromRgbF(static_cast<float>(channel(a.redF(), b.redF())),
                          static_cast<float>(channel(a.greenF(), b.greenF())),
                          static_cast<float>(channel(a.blueF(), b.blueF())));
}

// A fill: the hue mixed with the background (`strength` of the hue at most), moved further
// towards the background until `text` reads on it.
QColor fill(const QColor& hue, const QColor& background, const QColor& text, double strength = 0.5) {
  for (double k = 1 - strength; k < 1.0; k += 0.05) {
    const QColor c = mix(hue, background, k);
    if (Theme::contrast(text, c) >= 4.5) return c;
  }
  return background;
}

QPalette darkPalette() {
  const QColor window(0x2d, 0x2d, 0x30);
  const QColor base(0x1e, 0x1e, 0x1e);
  const QColor text(0xe8, 0xe8, 0xe8);
  const QColor disabled(0x80, 0x80, 0x80);
  QPalette p(window);  // derives Light, Mid, Dark, Shadow... from the window colour
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, QColor(0x27, 0x27, 0x2a));
  p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3d));
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3d));
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::BrightText, kDarkStates.overtaken);
  p.setColor(QPalette::Highlight, QColor(0x2a, 0x6f, 0xb0));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, kSkyBlue);
  p.setColor(QPalette::LinkVisited, kReddishPurple);
  for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
    p.setColor(QPalette::Disabled, role, disabled);
  p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x45, 0x45, 0x48));
  p.setColor(QPalette::Disabled, QPalette::HighlightedText, disabled);
  return p;
}

Theme make(const QPalette& palette) {
  Theme t;
  t.dark = Theme::isDark(palette);
  t.background = palette.color(QPalette::Active, QPalette::Base);
  t.window = palette.color(QPalette::Active, QPalette::Window);
  t.text = Theme::readable(palette.color(QPalette::Active, QPalette::Text), t.background);
  // The placeholder colour is often the text at half opacity: too faint for a label.
  t.mutedText = Theme::readable(palette.color(QPalette::Active, QPalette::PlaceholderText), t.background);
  t.frame = Theme::readable(t.dark ? QColor(0x8a, 0x93, 0x9e) : QColor(0x5f, 0x69, 0x75), t.background, 3.0);
  t.grid = mix(t.text, t.background, t.dark ? 0.78 : 0.85);
  t.historyFill = fill(kSkyBlue, t.background, t.text);
  t.activeFill = fill(kBluishGreen, t.background, t.text);
  t.sealGlow = t.dark ? kYellow : kOrange;
  t.sealText = Theme::readable(t.sealGlow, t.background);
  const StateColors& states = t.dark ? kDarkStates : kLightStates;
  t.live = Theme::readable(states.live, t.background);
  t.lagging = Theme::readable(states.lagging, t.background);
  t.overtaken = Theme::readable(states.overtaken, t.background);
  t.stopped = Theme::readable(states.stopped, t.background);
  // Messages sit on the window colour (labels) and sometimes on the base (views): both.
  auto onBoth = [&](const QColor& hue) { return Theme::readable(Theme::readable(hue, t.window), t.background); };
  t.warning = onBoth(kOrange);
  t.error = onBoth(kVermillion);
  t.success = onBoth(kBluishGreen);
  t.info = onBoth(t.dark ? kSkyBlue : kBlue);
  t.noticeFill = fill(kOrange, t.background, t.text, t.dark ? 0.45 : 0.3);
  t.purgeMarker = Theme::readable(kVermillion, t.background, 3.0);
  // Okabe–Ito's order; the fifth is its black on a light background (sky blue would sit too
  // close to the blue of the first), its yellow on a dark one.
  const std::array<QColor, 6> hues{t.dark ? kSkyBlue : kBlue, kOrange,    kBluishGreen, kReddishPurple,
                                   t.dark ? kYellow : t.text, kVermillion};
  for (std::size_t i = 0; i < hues.size(); ++i) t.series[i] = Theme::readable(hues[i], t.background, 3.0);
  return t;
}

// Keeps a widget's WindowText in a message colour across application palette changes. A child
// of the widget, found again by name when the widget is tinted anew.
class MessageTint : public QObject {
 public:
  static QString name() { return u"memlog-theme-tint"_s; }

  MessageTint(QWidget* widget, Theme::Message message) : QObject(widget), m_widget(widget), m_message(message) {
    setObjectName(name());
    widget->installEventFilter(this);
  }
  void setMessage(Theme::Message message) {
    m_message = message;
    apply();
  }
  void apply() {
    if (m_applying) return;  // our own setPalette's change event
    m_applying = true;
    // Light or dark by what the widget sits on: its parent's palette (its own may carry our
    // notice fill), else the application's.
    const QWidget* parent = m_widget->parentWidget();
    const Theme theme = Theme::of(parent ? parent->palette() : QApplication::palette(m_widget));
    QPalette palette = m_widget->palette();
    palette.setColor(QPalette::WindowText, theme.message(m_message));
    if (m_message == Theme::Message::notice) {
      palette.setColor(QPalette::Window, theme.noticeFill);
      m_widget->setAutoFillBackground(true);
    }
    m_widget->setPalette(palette);
    m_applying = false;
  }

 protected:
  bool eventFilter(QObject*, QEvent* event) override {
    // A child hears of a new application palette as a PaletteChange (its parent's palette
    // propagating), a window as an ApplicationPaletteChange.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) apply();
    return false;
  }

 private:
  QWidget* m_widget;
  Theme::Message m_message;
  bool m_applying = false;
};
}  // namespace

QColor Theme::state(ConsumerState state) const {
  switch (state) {
    case ConsumerState::live:
      return live;
    case ConsumerState::lagging:
      return lagging;
    case ConsumerState::fell_behind:
      return overtaken;
    case ConsumerState::stopped:
      return stopped;
  }
  return stopped;
}

QColor Theme::message(Message message) const {
  switch (message) {
    case Message::warning:
      return warning;
    case Message::error:
      return error;
    case Message::success:
      return success;
    case Message::info:
      return info;
    case Message::notice:
      return text;
  }
  return text;
}

QColor Theme::accent(Accent accent) const {
  const QColor hue = [accent] {
    switch (accent) {
      case Accent::blue:
        return kBlue;
      case Accent::skyBlue:
        return kSkyBlue;
      case Accent::bluishGreen:
        return kBluishGreen;
      case Accent::orange:
        return kOrange;
      case Accent::vermillion:
        return kVermillion;
      case Accent::reddishPurple:
        return kReddishPurple;
      case Accent::yellow:
        return kYellow;
    }
    return kBlue;
  }();
  return readable(hue, background);
}

Theme Theme::of(const QPalette& palette) {
  // Views ask at every paint and item models at every cell: remember the last few palettes.
  static std::vector<std::pair<qint64, Theme>> cache;
  const qint64 key = palette.cacheKey();
  for (const auto& [k, theme] : cache)
    if (k == key) return theme;
  if (cache.size() >= 8) cache.erase(cache.begin());
  cache.emplace_back(key, make(palette));
  return cache.back().second;
}

Theme Theme::current() {
  return qobject_cast<QGuiApplication*>(QCoreApplication::instance()) ? of(QGuiApplication::palette())
                                                                      : of(palette(Scheme::light));
}

std::optional<Theme::Scheme> Theme::schemeFromString(QStringView text) {
  const QString value = text.trimmed().toString().toLower();
  if (value == u"light"_s) return Scheme::light;
  if (value == u"dark"_s) return Scheme::dark;
  if (value == u"system"_s) return Scheme::system;
  return std::nullopt;
}

QPalette Theme::palette(Scheme scheme) {
  if (scheme == Scheme::dark) return darkPalette();
  if (scheme == Scheme::light) {
    // Fusion's own light palette, whatever the desktop's style is.
    if (QCoreApplication::instance() && qobject_cast<QApplication*>(QCoreApplication::instance())) {
      if (QStyle* fusion = QStyleFactory::create(u"Fusion"_s)) {
        QPalette standard = fusion->standardPalette();
        delete fusion;
        // Fusion's placeholder is the text at half opacity: 3.9:1 on white, too faint to read.
        standard.setColor(QPalette::PlaceholderText, QColor(0x6b, 0x6b, 0x6b));
        return standard;
      }
    }
    QPalette p(QColor(0xef, 0xef, 0xef));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::Text, Qt::black);
    p.setColor(QPalette::WindowText, Qt::black);
    p.setColor(QPalette::PlaceholderText, QColor(0x6b, 0x6b, 0x6b));
    return p;
  }
  return QGuiApplication::palette();
}

void Theme::apply(Scheme scheme) {
  if (scheme == Scheme::system) return;  // the desktop's style and palette
  QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
  QApplication::setPalette(palette(scheme));
}

double Theme::contrast(const QColor& a, const QColor& b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor Theme::readable(const QColor& color, const QColor& background, double ratio) {
  QColor c = color.alpha() == 255 ? color : mix(background, color.toRgb(), color.alphaF());
  c = c.toRgb();
  if (contrast(c, background) >= ratio) return c;
  // Towards black on a light background, towards white on a dark one.
  const bool darken = contrast(Qt::black, background) >= contrast(Qt::white, background);
  float h = 0, s = 0, l = 0;
  c.getHslF(&h, &s, &l);
  if (h < 0) h = 0;  // achromatic
  for (int step = 0; step < 100; ++step) {
    l = std::clamp(l + (darken ? -0.01f : 0.01f), 0.0f, 1.0f);
    const QColor next = QColor::fromHslF(h, s, l).toRgb();
    if (contrast(next, background) >= ratio) return next;
    if (l <= 0.0f || l >= 1.0f) break;
  }
  return darken ? QColor(Qt::black) : QColor(Qt::white);
}

QString Theme::stateWord(ConsumerState state) {
  switch (state) {
    case ConsumerState::live:
      return u"live"_s;
    case ConsumerState::lagging:
      return u"lagging"_s;
    case ConsumerState::fell_behind:
      return u"overtaken by the purge"_s;
    case ConsumerState::stopped:
      return u"stopped"_s;
  }
  return u"stopped"_s;
}

void Theme::drawStateMarker(QPainter& painter, QPointF at, double size, ConsumerState state) const {
  const QColor color = this->state(state);
  const double r = size / 2;
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing);
  switch (state) {
    case ConsumerState::live: {  // a filled triangle pointing up at the bar: reading along
      const QPolygonF triangle{QPointF(at.x(), at.y() - r), QPointF(at.x() + r, at.y() + r * 0.8),
                               QPointF(at.x() - r, at.y() + r * 0.8)};
      painter.setPen(Qt::NoPen);
      painter.setBrush(color);
      painter.drawPolygon(triangle);
      break;
    }
    case ConsumerState::lagging: {  // a filled diamond
      const QPolygonF diamond{QPointF(at.x(), at.y() - r), QPointF(at.x() + r, at.y()), QPointF(at.x(), at.y() + r),
                              QPointF(at.x() - r, at.y())};
      painter.setPen(Qt::NoPen);
      painter.setBrush(color);
      painter.drawPolygon(diamond);
      break;
    }
    case ConsumerState::fell_behind: {  // a bold cross: struck out by the purge
      QPen pen(color, std::max(2.0, size / 4.5), Qt::SolidLine, Qt::RoundCap);
      painter.setPen(pen);
      const double d = r * 0.8;
      painter.drawLine(QPointF(at.x() - d, at.y() - d), QPointF(at.x() + d, at.y() + d));
      painter.drawLine(QPointF(at.x() - d, at.y() + d), QPointF(at.x() + d, at.y() - d));
      break;
    }
    case ConsumerState::stopped: {  // a hollow square: not reading
      painter.setPen(QPen(color, std::max(1.5, size / 7)));
      painter.setBrush(Qt::NoBrush);
      const double d = r * 0.78;
      painter.drawRect(QRectF(at.x() - d, at.y() - d, 2 * d, 2 * d));
      break;
    }
  }
  painter.restore();
}

QImage Theme::stateIcon(ConsumerState state, int size, qreal devicePixelRatio) const {
  const int pixels = static_cast<int>(std::ceil(size * devicePixelRatio));
  QImage image(pixels, pixels, QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(devicePixelRatio);
  image.fill(Qt::transparent);
  QPainter painter(&image);
  drawStateMarker(painter, QPointF(size / 2.0, size / 2.0), size - 2, state);
  return image;
}

void Theme::tint(QWidget* widget, Message message) {
  if (auto* existing =
          dynamic_cast<MessageTint*>(widget->findChild<QObject*>(MessageTint::name(), Qt::FindDirectChildrenOnly))) {
    existing->setMessage(message);
    return;
  }
  (new MessageTint(widget, message))->apply();
}
