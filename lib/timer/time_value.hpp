// nginx's time values, as its directives take them: "60s", "500ms", "1m30s", "75" (bare
// numbers are seconds). Units: ms, s, m, h, d, w, M (30 days), y (365 days); parts may be
// combined from the largest unit down, as in "1h30m". The command line and, from chapter 10,
// the configuration file read timeouts with it, so both accept what nginx.conf accepts.
// nginx counterpart: ngx_parse_time(). Introduced in chapter 08.
#pragma once

#include <optional>
#include <string_view>

#include "timer/timer_tree.hpp"

namespace kit {

// Milliseconds, or nullopt when `text` is not a valid nginx time (empty, unknown unit, units
// out of order, overflow).
[[nodiscard]] std::optional<Msec> parse_nginx_time(std::string_view text);

}  // namespace kit
