// SPDX-License-Identifier: MIT
#include "controllers/worker_controller.hpp"

WorkerController::WorkerController(QObject* parent) : QObject(parent) {
  m_refresh.setInterval(kRefreshInterval);
  connect(&m_refresh, &QTimer::timeout, this, &WorkerController::refresh);
}

WorkerController::~WorkerController() = default;

void WorkerController::watch() {
  m_problemsSeen = 0;
  m_refresh.start();
}

void WorkerController::unwatch() {
  refresh();  // report what happened last
  m_refresh.stop();
}

void WorkerController::refresh() {
  const std::optional<memlog::WorkerHealth> h = health();
  if (!h) return;
  if (h->problems > m_problemsSeen) {
    m_problemsSeen = h->problems;
    emit problem(QString::fromStdString(h->last_problem));
  }
  emit statusChanged();
}
