#include "core/log.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <ctime>

#include "core/sys_error.hpp"

namespace kit {
namespace {

constexpr std::array<std::string_view, 8> kLevelNames = {"debug", "info", "notice", "warn",
                                                         "error", "crit", "alert",  "emerg"};

// The threshold is the one piece of global state here: written once at start-up, read from
// every thread, hence atomic (relaxed is enough: it is a setting, not a synchronisation).
std::atomic<LogLevel> g_threshold{LogLevel::kNotice};
// The loop's cached second (set_log_time), or -1. Atomic for the same reason.
std::atomic<std::time_t> g_cached_time{-1};

}  // namespace

void set_log_level(LogLevel level) {
  g_threshold.store(level, std::memory_order_relaxed);
}

bool log_enabled(LogLevel level) {
  return level >= g_threshold.load(std::memory_order_relaxed);
}

void set_log_time(std::time_t cached) {
  g_cached_time.store(cached, std::memory_order_relaxed);
}

void log_line(LogLevel level, std::string_view message) {
  const std::time_t cached = g_cached_time.load(std::memory_order_relaxed);
  std::time_t now = cached >= 0 ? cached : std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y/%m/%d %H:%M:%S", &tm);
  std::string line =
      fmt::format("{} [{}] {}#{}: {}\n", stamp, kLevelNames[static_cast<size_t>(level)], ::getpid(),
                  static_cast<long>(::syscall(SYS_gettid)), message);
  // One write per line; a short write to stderr is not worth retrying for a log line.
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
}

void log_errno(LogLevel level, int err, std::string_view what) {
  if (!log_enabled(level)) return;
  log_line(level, fmt::format("{} failed ({}: {})", what, err, errno_text(err)));
}

bool parse_log_level(std::string_view name, LogLevel& out) {
  for (size_t i = 0; i < kLevelNames.size(); ++i) {
    if (kLevelNames[i] == name) {
      out = static_cast<LogLevel>(i);
      return true;
    }
  }
  return false;
}

}  // namespace kit
