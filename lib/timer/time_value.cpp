#include "timer/time_value.hpp"

#include <array>
#include <limits>

namespace kit {
namespace {

struct Unit {
  std::string_view name;
  Msec ms;
};

// Largest first: a value's parts must come in this order ("1h30m", not "30m1h").
constexpr std::array<Unit, 8> kUnits{{
    {"y", 365ULL * 24 * 3600 * 1000},
    {"M", 30ULL * 24 * 3600 * 1000},
    {"w", 7ULL * 24 * 3600 * 1000},
    {"d", 24ULL * 3600 * 1000},
    {"h", 3600ULL * 1000},
    {"ms", 1},  // before "m": "5ms" is milliseconds, not minutes then "s"
    {"m", 60ULL * 1000},
    {"s", 1000},
}};

// The rank of a unit for the ordering rule ("ms" ranks below "s").
int rank(std::string_view unit) {
  constexpr std::array<std::string_view, 8> kOrder{"y", "M", "w", "d", "h", "m", "s", "ms"};
  for (size_t i = 0; i < kOrder.size(); ++i)
    if (kOrder[i] == unit) return static_cast<int>(i);
  return -1;
}

}  // namespace

std::optional<Msec> parse_nginx_time(std::string_view text) {
  if (text.empty()) return std::nullopt;
  constexpr Msec kMax = std::numeric_limits<Msec>::max();
  Msec total = 0;
  int last_rank = -1;
  while (!text.empty()) {
    Msec number = 0;
    size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
      const auto d = static_cast<Msec>(text[digits] - '0');
      if (number > (kMax - d) / 10) return std::nullopt;
      number = number * 10 + d;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    text.remove_prefix(digits);
    Msec scale = 1000;  // a bare number is seconds, and only as the last part
    std::string_view unit = "s";
    if (!text.empty()) {
      const Unit* found = nullptr;
      for (const Unit& u : kUnits) {
        if (text.substr(0, u.name.size()) == u.name) {
          found = &u;
          break;
        }
      }
      if (found == nullptr) return std::nullopt;
      unit = found->name;
      scale = found->ms;
      text.remove_prefix(unit.size());
    }
    const int r = rank(unit);
    if (r <= last_rank) return std::nullopt;  // units out of order or repeated
    last_rank = r;
    if (number > (kMax - total) / scale) return std::nullopt;
    total += number * scale;
  }
  return total;
}

}  // namespace kit
