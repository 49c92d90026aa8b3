// SPDX-License-Identifier: MIT
#include <memlog/source/line_feeds.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace memlog::feed {

namespace {
constexpr std::size_t kChunk = std::size_t{64} * 1024;

// strerror_r, not strerror: feeds fail on their own threads, and strerror may share one buffer
// between them. It comes in two flavours: GNU's returns the text (not always in the buffer),
// POSIX's fills the buffer and returns 0; whichever the C library has picks its overload.
[[maybe_unused]] std::string strerror_text(const char* text, const char* /*buffer*/) { return text; }
[[maybe_unused]] std::string strerror_text(int /*status*/, const char* buffer) { return buffer; }

std::string errno_text() {
  const int error = errno;
  char buffer[256] = "";
  return strerror_text(::strerror_r(error, buffer, sizeof buffer), buffer);
}

// Closes a descriptor when the session ends, however it ends.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};
}  // namespace

// --- LineFeed ----------------------------------------------------------------------------------

LineFeed::LineFeed(std::string name, std::shared_ptr<Log> log)
    : Feed(std::move(name), std::move(log)),
      splitter_(
          [this](std::string_view line) {
            write(line, stop_);  // a refused line is reported by Feed, and passed
            return !stop_.stop_requested();
          },
          [this](std::uint64_t line, std::size_t bytes) {
            warn("line " + std::to_string(line) + " (" + std::to_string(bytes) +
                 " bytes) is over the log's record limit (--max-record-bytes); skipped");
          }) {}

bool LineFeed::take(std::string_view chunk, std::stop_token stop) {
  stop_ = std::move(stop);
  return splitter_.feed(chunk, max_record_bytes());
}

void LineFeed::flush(std::stop_token stop) {
  stop_ = std::move(stop);
  splitter_.flush(max_record_bytes());
}

// --- DescriptorFeed ----------------------------------------------------------------------------

DescriptorFeed::DescriptorFeed(std::string name, int fd, std::shared_ptr<Log> log)
    : LineFeed(std::move(name), std::move(log)), fd_(fd) {}

std::unique_ptr<DescriptorFeed> DescriptorFeed::standard_input(std::shared_ptr<Log> log) {
  return std::make_unique<DescriptorFeed>("stdin", STDIN_FILENO, std::move(log));
}

DescriptorFeed::~DescriptorFeed() { stop(); }

Feed::SessionEnd DescriptorFeed::session(std::stop_token stop) {
  connected();
  std::string buffer(kChunk, '\0');
  while (!stop.stop_requested()) {
    // Poll with a timeout so that stop() is noticed while the input is quiet.
    pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
    const int ready = ::poll(&p, 1, 100);
    if (ready < 0 && errno != EINTR) throw SessionError("waiting for input: " + errno_text());
    if (ready <= 0) continue;
    const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      throw SessionError("reading: " + errno_text());
    }
    if (n == 0) {  // end of input: the last line may have no newline
      flush(stop);
      set_position("end of input after " + std::to_string(lines()) + " lines, " + std::to_string(bytes_read_) +
                   " bytes");
      return SessionEnd::finished;
    }
    bytes_read_ += static_cast<std::uint64_t>(n);
    if (!take(std::string_view(buffer.data(), static_cast<std::size_t>(n)), stop)) break;
    set_position("line " + std::to_string(lines()) + ", byte " + std::to_string(bytes_read_));
  }
  return SessionEnd::finished;
}

// --- FileFeed ----------------------------------------------------------------------------------

FileFeed::FileFeed(std::string path, std::shared_ptr<Log> log, std::chrono::milliseconds poll)
    : LineFeed("file:" + path, std::move(log)), path_(std::move(path)), poll_(poll) {}

FileFeed::~FileFeed() { stop(); }

void FileFeed::report_position() {
  set_position("byte " + std::to_string(position_) + ", line " + std::to_string(lines()));
}

Feed::SessionEnd FileFeed::session(std::stop_token stop) {
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw SessionError("cannot open " + path_ + ": " + errno_text());
  FdCloser closer{fd};
  struct stat opened {};
  if (::fstat(fd, &opened) != 0) throw SessionError("cannot stat " + path_ + ": " + errno_text());
  if (S_ISDIR(opened.st_mode)) throw SessionError(path_ + " is a directory, not a file");

  if (known_ && (opened.st_dev != device_ || opened.st_ino != inode_)) {
    warn(path_ + " was replaced (rotated); reading the new file from its start");
    position_ = 0;
    forget_partial_line();
  } else if (known_ && S_ISREG(opened.st_mode) && opened.st_size < position_) {
    warn(path_ + " was truncated; reading it again from its start");
    position_ = 0;
    forget_partial_line();
  }
  device_ = opened.st_dev;
  inode_ = opened.st_ino;
  known_ = true;
  if (position_ > 0 && ::lseek(fd, position_, SEEK_SET) < 0)
    throw SessionError("cannot seek in " + path_ + ": " + errno_text());
  connected();
  report_position();

  std::string buffer(kChunk, '\0');
  bool rotated = false;  // the path names another file now: finish this one, then reopen
  while (!stop.stop_requested()) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw SessionError("reading " + path_ + ": " + errno_text());
    }
    if (n > 0) {
      position_ += n;
      if (!take(std::string_view(buffer.data(), static_cast<std::size_t>(n)), stop)) return SessionEnd::finished;
      report_position();
      continue;
    }
    // At the end of the file.
    if (rotated) {
      flush(stop);  // the old file's last line, newline or not
      return SessionEnd::reopen;
    }
    if (!sleep_for(poll_, stop)) break;
    struct stat now {};
    if (::stat(path_.c_str(), &now) != 0 || now.st_dev != device_ || now.st_ino != inode_) {
      rotated = true;  // read what the old file still has, then reopen the path
      continue;
    }
    struct stat current {};
    if (::fstat(fd, &current) == 0 && S_ISREG(current.st_mode) && current.st_size < position_) {
      warn(path_ + " was truncated; reading it again from its start");
      if (::lseek(fd, 0, SEEK_SET) < 0) throw SessionError("cannot seek in " + path_ + ": " + errno_text());
      position_ = 0;
      forget_partial_line();
    }
  }
  return SessionEnd::finished;
}

}  // namespace memlog::feed
