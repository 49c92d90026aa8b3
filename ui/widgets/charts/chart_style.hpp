// SPDX-License-Identifier: MIT
// styleChart: a chart in the theme's colours — background, title, legend, axes, labels and
// grid — so that the charts follow the application palette (light, dark, or a change at run
// time) like the rest of the window. Series colours are the panel's business (Theme::series).
//
// Threading: GUI thread only.
#pragma once

class QChartView;
struct Theme;

void styleChart(QChartView* view, const Theme& theme);
