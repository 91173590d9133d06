#include "load_result.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace kit::bench {

void LoadResult::merge(const LoadResult& o) {
  responses += o.responses;
  non_2xx += o.non_2xx;
  resets += o.resets;
  timeouts += o.timeouts;
  connect_errors += o.connect_errors;
  bad_responses += o.bad_responses;
  body_bytes += o.body_bytes;
  connects += o.connects;
  idle_open += o.idle_open;
  idle_lost += o.idle_lost;
  drips += o.drips;
  seconds = std::max(seconds, o.seconds);  // the processes measure the same period
  latency.merge(o.latency);
}

std::string LoadResult::serialize() const {
  return fmt::format("{} {} {} {} {} {} {} {} {} {} {} {:.6f} | {}", responses, non_2xx, resets,
                     timeouts, connect_errors, bad_responses, body_bytes, connects, idle_open,
                     idle_lost, drips, seconds, latency.serialize());
}

bool LoadResult::merge_serialized(std::string_view line) {
  const size_t bar = line.find(" | ");
  if (bar == std::string_view::npos) return false;
  LoadResult r;
  std::istringstream in{std::string(line.substr(0, bar))};
  if (!(in >> r.responses >> r.non_2xx >> r.resets >> r.timeouts >> r.connect_errors >>
        r.bad_responses >> r.body_bytes >> r.connects >> r.idle_open >> r.idle_lost >> r.drips >>
        r.seconds)) {
    return false;
  }
  if (!r.latency.merge_serialized(line.substr(bar + 3))) return false;
  merge(r);
  return true;
}

std::string LoadResult::csv_header() {
  return "requests,seconds,rps,mib_per_s,p50_us,p90_us,p99_us,p999_us,max_us,mean_us,non_2xx,"
         "resets,timeouts,connect_errors,bad_responses,connects,idle_open,idle_lost,drips";
}

std::string LoadResult::csv_row() const {
  auto us = [](uint64_t ns) { return static_cast<double>(ns) / 1000.0; };
  return fmt::format(
      "{},{:.3f},{:.1f},{:.2f},{:.1f},{:.1f},{:.1f},{:.1f},{:.1f},{:.1f},{},{},{},{},{},{},{},{},{"
      "}",
      responses, seconds, rps(),
      seconds > 0 ? static_cast<double>(body_bytes) / seconds / 1048576.0 : 0.0,
      us(latency.percentile(0.5)), us(latency.percentile(0.9)), us(latency.percentile(0.99)),
      us(latency.percentile(0.999)), us(latency.max()), latency.mean() / 1000.0, non_2xx, resets,
      timeouts, connect_errors, bad_responses, connects, idle_open, idle_lost, drips);
}

std::string LoadResult::summary() const {
  auto ms = [](uint64_t ns) { return static_cast<double>(ns) / 1e6; };
  return fmt::format(
      "{} responses in {:.2f} s: {:.0f} req/s, {:.2f} MiB/s of body\n"
      "latency ms: p50 {:.3f}  p90 {:.3f}  p99 {:.3f}  p99.9 {:.3f}  max {:.3f}\n"
      "non-2xx {}  resets {}  timeouts {}  connect errors {}  bad responses {}\n"
      "connects {}  idle holders open {}  lost (closed by the server) {}  bytes dripped {}\n",
      responses, seconds, rps(),
      seconds > 0 ? static_cast<double>(body_bytes) / seconds / 1048576.0 : 0.0,
      ms(latency.percentile(0.5)), ms(latency.percentile(0.9)), ms(latency.percentile(0.99)),
      ms(latency.percentile(0.999)), ms(latency.max()), non_2xx, resets, timeouts, connect_errors,
      bad_responses, connects, idle_open, idle_lost, drips);
}

}  // namespace kit::bench
