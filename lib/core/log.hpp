// A tiny logger in nginx's error_log format:
//   2026/11/24 01:30:00 [error] 4242#4243: accept4() failed (24: Too many open files)
// (pid#tid, like nginx's pid#tid). Each line is formatted into one buffer and written with a
// single write(2) to stderr, so lines from several threads or processes never interleave.
// Invariant: the level threshold is set once at start-up, before threads or workers exist.
// nginx counterpart: ngx_log_error() / ngx_log_debug*(). Introduced in chapter 00.
// Alternative not taken: iostreams (not atomic per line across processes).
#pragma once

#include <fmt/format.h>

#include <ctime>
#include <string_view>

namespace kit {

// nginx's error_log levels, least to most severe.
enum class LogLevel { kDebug, kInfo, kNotice, kWarn, kError, kCrit, kAlert, kEmerg };

void set_log_level(LogLevel level);
[[nodiscard]] bool log_enabled(LogLevel level);
void log_line(LogLevel level, std::string_view message);

template <typename... Args>
void log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) {
  if (!log_enabled(level)) return;  // costs one comparison when the level is off
  log_line(level, fmt::format(format, std::forward<Args>(args)...));
}

// "<what> failed (<err>: <errno text>)", nginx's wording for a failed syscall.
void log_errno(LogLevel level, int err, std::string_view what);

// From chapter 08 the event loop caches the time once per iteration; log lines then stamp
// that second instead of reading the clock (nginx: ngx_cached_err_log_time). -1: read it.
void set_log_time(std::time_t cached);

// Parses "debug", "info", ... "emerg" (nginx's names); false if unknown.
bool parse_log_level(std::string_view name, LogLevel& out);

}  // namespace kit
