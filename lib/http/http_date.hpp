// HTTP dates (IMF-fixdate, RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
// DateCache formats at most once per second: every response carries a Date field, and
// formatting it per request would be a gmtime_r + strftime per request for a value that only
// changes once a second. nginx counterpart: ngx_cached_http_time, refreshed by
// ngx_time_update(). Introduced in chapter 00; chapter 08 feeds it the loop's cached time.
// Invariant: a DateCache is used by one thread (each thread or loop owns its own).
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace kit::http {

inline constexpr size_t kHttpDateLength = 29;

[[nodiscard]] std::string format_http_date(std::time_t t);

// Accepts IMF-fixdate (the only form the kit generates); nullopt otherwise.
[[nodiscard]] std::optional<std::time_t> parse_http_date(std::string_view text);

class DateCache {
 public:
  // The formatted date for `now`, reformatted only when the second changed.
  std::string_view at(std::time_t now);
  // The date for the current second: the cached time once update() was called (chapter 08
  // on: the loop reads the clock once per iteration), else read from the clock.
  std::string_view now() { return at(cached_ >= 0 ? cached_ : std::time(nullptr)); }
  // The current second: the cached one if set.
  [[nodiscard]] std::time_t seconds() const { return cached_ >= 0 ? cached_ : std::time(nullptr); }
  // Sets the cached time now() uses from here on (nginx: ngx_time_update()).
  void update(std::time_t now) { cached_ = now; }

 private:
  std::time_t second_ = -1;
  std::time_t cached_ = -1;  // -1: no cached time, read the clock
  char text_[kHttpDateLength + 1] = {};
};

}  // namespace kit::http
