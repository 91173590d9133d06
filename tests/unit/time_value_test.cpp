// lib/timer/time_value.hpp: nginx's time syntax, table-driven.
#include "timer/time_value.hpp"

#include <catch2/catch.hpp>
#include <optional>
#include <string_view>

TEST_CASE("nginx time values parse to milliseconds", "[ch08][time_value]") {
  struct Case {
    std::string_view text;
    kit::Msec ms;
  };
  const Case cases[] = {
      {"60s", 60'000},       {"500ms", 500},         {"75", 75'000},     {"0", 0},
      {"1m", 60'000},        {"1m30s", 90'000},      {"1h", 3'600'000},  {"2d", 172'800'000},
      {"1w", 604'800'000},   {"1h30m", 5'400'000},   {"1s500ms", 1'500}, {"1m5", 65'000},
      {"1M", 2'592'000'000}, {"1y", 31'536'000'000},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(kit::parse_nginx_time(c.text) == std::optional<kit::Msec>(c.ms));
  }
}

TEST_CASE("invalid time values are rejected", "[ch08][time_value]") {
  for (std::string_view text : {"", "s", "ms", "10x", "1.5s", "-1", " 5s", "5s ", "30s1m", "1m1m",
                                "5ms5s", "1s1", "99999999999999999999", "18446744073709551615s"}) {
    INFO('"' << text << '"');
    CHECK_FALSE(kit::parse_nginx_time(text).has_value());
  }
}
