// AccessLog: one line per answered request in nginx's `combined` format,
//
//   127.0.0.1 - - [26/Nov/2026:17:15:13 +0000] "GET /index.html HTTP/1.1" 200 612 "-" "curl/7.88"
//   $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
//   "$http_referer" "$http_user_agent"
//
// written with one write(2) per line to a file opened O_APPEND, so the lines of several
// workers never interleave. reopen() (SIGUSR1, `-s reopen`) opens the path again: after
// logrotate renamed the file, new lines go to a new one. Owns the file descriptor.
// nginx counterpart: ngx_http_log_module (access_log ... combined), ngx_reopen_files().
// Introduced in chapter 10. Alternative not taken: buffering lines (nginx's `buffer=`), which
// saves syscalls but loses the last lines of a crashed worker.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "core/fd.hpp"

namespace kit::http {

class AccessLog {
 public:
  // Opens `path` for appending; throws std::system_error if it cannot.
  explicit AccessLog(std::string path);
  void reopen();  // keeps the old file open if the path cannot be opened (and logs why)

  // The "[26/Nov/2026:17:15:13 +0000]" part for `now`, formatted once per second.
  std::string_view time_local(std::time_t now);
  // Appends one line (which must end in "\n").
  void write(std::string_view line) const;

  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
  Fd fd_;
  std::time_t second_ = -1;
  char time_[40] = {};
  size_t time_length_ = 0;
};

}  // namespace kit::http
