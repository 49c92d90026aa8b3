// SPDX-License-Identifier: MIT
// memlog: a fast, thread-safe, append-only in-memory log. This header brings in everything.
#pragma once

#include <memlog/error.hpp>
#include <memlog/log.hpp>
#include <memlog/options.hpp>
#include <memlog/record.hpp>
#include <memlog/sharded_log.hpp>
#include <memlog/stream.hpp>
#include <memlog/version.hpp>
