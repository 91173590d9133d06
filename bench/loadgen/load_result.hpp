// LoadResult: the counters of one loadgen process, merged over processes by the parent and
// printed as a human summary or one CSV row (the ladder harness reads the CSV).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "latency_histogram.hpp"

namespace kit::bench {

struct LoadResult {
  uint64_t responses = 0;  // measured, complete responses (any status)
  uint64_t non_2xx = 0;
  uint64_t resets = 0;  // RST, or the server closed with a request outstanding
  uint64_t timeouts = 0;
  uint64_t connect_errors = 0;
  uint64_t bad_responses = 0;  // unparsable framing
  uint64_t body_bytes = 0;
  uint64_t connects = 0;     // successful connects (short mode: one per request)
  uint64_t idle_open = 0;    // idle holders still open at the end
  uint64_t idle_lost = 0;    // idle holders the server closed or refused
  uint64_t drips = 0;        // bytes slowloris holders dripped in the measured period
  double seconds = 0;        // length of the measured period
  LatencyHistogram latency;  // of measured responses, in ns

  void merge(const LoadResult& other);
  [[nodiscard]] double rps() const {
    return seconds > 0 ? static_cast<double>(responses) / seconds : 0;
  }
  [[nodiscard]] uint64_t errors() const {
    return resets + timeouts + connect_errors + bad_responses;
  }

  [[nodiscard]] std::string serialize() const;  // one line for the pipe between processes
  bool merge_serialized(std::string_view line);

  [[nodiscard]] static std::string csv_header();
  [[nodiscard]] std::string csv_row() const;
  [[nodiscard]] std::string summary() const;  // for people
};

}  // namespace kit::bench
