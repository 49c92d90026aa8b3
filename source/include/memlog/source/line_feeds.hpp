// SPDX-License-Identifier: MIT
// Line feeds: one record per line of text (see LineSplitter for long and empty lines).
//
//   DescriptorFeed  reads a file descriptor — standard input — until its end
//                   (`journalctl -f | memlog-monitor --source stdin`).
//   FileFeed        reads a file from its start and follows it as it grows, like `tail -F`:
//                   a truncated file is read again from the start, a rotated one (the path
//                   now names another file) is finished and the new file read from its start,
//                   a missing one is waited for (reported, retried with back-off).
#pragma once

#include <sys/types.h>

#include <memlog/source/feed.hpp>

namespace memlog::feed {

// What both line feeds share: text in, one record per line out, long lines reported.
class LineFeed : public Feed {
 protected:
  LineFeed(std::string name, std::shared_ptr<Log> log);

  // Writes the complete lines of `chunk` (the session's `stop` ends it early: false).
  bool take(std::string_view chunk, std::stop_token stop);
  // Writes a last line without a newline (end of input, rotated file).
  void flush(std::stop_token stop);
  void forget_partial_line() { splitter_.reset(); }
  std::uint64_t lines() const noexcept { return splitter_.lines(); }

 private:
  LineSplitter splitter_;
  std::stop_token stop_;  // of the running session, for the splitter's callback
};

class DescriptorFeed final : public LineFeed {
 public:
  // Reads `fd` (not owned, not closed). `name` is how problems name it ("stdin").
  DescriptorFeed(std::string name, int fd, std::shared_ptr<Log> log);
  static std::unique_ptr<DescriptorFeed> standard_input(std::shared_ptr<Log> log);
  ~DescriptorFeed() override;

 private:
  SessionEnd session(std::stop_token stop) override;

  int fd_;
  std::uint64_t bytes_read_ = 0;
};

class FileFeed final : public LineFeed {
 public:
  // `poll` is how often the end of the file is checked for growth, truncation and rotation.
  FileFeed(std::string path, std::shared_ptr<Log> log, std::chrono::milliseconds poll = std::chrono::milliseconds(100));
  ~FileFeed() override;

 private:
  SessionEnd session(std::stop_token stop) override;
  void report_position();

  std::string path_;
  std::chrono::milliseconds poll_;
  // The file being followed (device and inode) and how far it has been read.
  dev_t device_ = 0;
  ino_t inode_ = 0;
  bool known_ = false;
  off_t position_ = 0;
};

}  // namespace memlog::feed
