#include "http/http_date.hpp"

#include <array>
#include <cstring>

namespace kit::http {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void put2(char* p, int v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

// Written by hand rather than with strftime: strftime follows the process locale, and an
// HTTP date must be in English whatever LC_TIME says.
void format_into(std::time_t t, char* out) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::memcpy(out, kDays[static_cast<size_t>(tm.tm_wday)].data(), 3);
  std::memcpy(out + 3, ", ", 2);
  put2(out + 5, tm.tm_mday);
  out[7] = ' ';
  std::memcpy(out + 8, kMonths[static_cast<size_t>(tm.tm_mon)].data(), 3);
  out[11] = ' ';
  const int year = tm.tm_year + 1900;
  put2(out + 12, year / 100 % 100);
  put2(out + 14, year % 100);
  out[16] = ' ';
  put2(out + 17, tm.tm_hour);
  out[19] = ':';
  put2(out + 20, tm.tm_min);
  out[22] = ':';
  put2(out + 23, tm.tm_sec);
  std::memcpy(out + 25, " GMT", 4);
}

bool digits(std::string_view s, int& out) {
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

}  // namespace

std::string format_http_date(std::time_t t) {
  std::string s(kHttpDateLength, ' ');
  format_into(t, s.data());
  return s;
}

std::optional<std::time_t> parse_http_date(std::string_view s) {
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  //  0    5  8   12   17 20 23 25
  if (s.size() != kHttpDateLength || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' ||
      s[16] != ' ' || s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT") {
    return std::nullopt;
  }
  bool day_ok = false;
  for (std::string_view d : kDays)
    day_ok = day_ok || d == s.substr(0, 3);
  int month = -1;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == s.substr(8, 3)) month = static_cast<int>(i);
  }
  std::tm tm{};
  if (!day_ok || month < 0 || !digits(s.substr(5, 2), tm.tm_mday) ||
      !digits(s.substr(12, 4), tm.tm_year) || !digits(s.substr(17, 2), tm.tm_hour) ||
      !digits(s.substr(20, 2), tm.tm_min) || !digits(s.substr(23, 2), tm.tm_sec)) {
    return std::nullopt;
  }
  if (tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  tm.tm_mon = month;
  tm.tm_year -= 1900;
  return timegm(&tm);
}

std::string_view DateCache::at(std::time_t now) {
  if (now != second_) {
    format_into(now, text_);
    second_ = now;
  }
  return {text_, kHttpDateLength};
}

}  // namespace kit::http
