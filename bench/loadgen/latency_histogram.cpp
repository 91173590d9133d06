#include "latency_histogram.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <iterator>

namespace kit::bench {

// Below 128: the value is its own bucket. From 128 on: with msb the top bit's position,
// the value's top 7 bits (64..127) pick one of 64 buckets in octave msb.
size_t LatencyHistogram::bucket_of(uint64_t ns) {
  if (ns < (uint64_t{1} << kSubBits)) return static_cast<size_t>(ns);
  const int msb = static_cast<int>(std::bit_width(ns)) - 1;  // ≥ 7
  const int shift = msb - (kSubBits - 1);                    // ≥ 1
  const uint64_t top = ns >> shift;                          // 64..127
  return 128 + static_cast<size_t>(shift - 1) * 64 + static_cast<size_t>(top - 64);
}

uint64_t LatencyHistogram::bucket_upper(size_t index) {
  if (index < 128) return index;
  const size_t shift = (index - 128) / 64 + 1;
  const uint64_t top = (index - 128) % 64 + 64;
  return ((top + 1) << shift) - 1;
}

void LatencyHistogram::record(uint64_t ns) {
  ++counts_[bucket_of(ns)];
  ++count_;
  sum_ += ns;
  max_ = std::max(max_, ns);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < kBuckets; ++i)
    counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  max_ = std::max(max_, other.max_);
}

uint64_t LatencyHistogram::percentile(double q) const {
  if (count_ == 0) return 0;
  if (q >= 1.0) return max_;
  // The rank of the value at q: the smallest value with at least q·count values ≤ it.
  const auto rank =
      std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(bucket_upper(i), max_);
  }
  return max_;
}

std::string LatencyHistogram::serialize() const {
  std::string out = fmt::format("{} {} {}", count_, max_, sum_);
  for (size_t i = 0; i < kBuckets; ++i) {
    if (counts_[i] != 0) fmt::format_to(std::back_inserter(out), " {}:{}", i, counts_[i]);
  }
  return out;
}

bool LatencyHistogram::merge_serialized(std::string_view text) {
  LatencyHistogram h;
  auto next_number = [&](uint64_t& out, char stop) {
    while (!text.empty() && text.front() == ' ')
      text.remove_prefix(1);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc() || end == text.data()) return false;
    text.remove_prefix(static_cast<size_t>(end - text.data()));
    if (stop != 0) {
      if (text.empty() || text.front() != stop) return false;
      text.remove_prefix(1);
    }
    return true;
  };
  if (!next_number(h.count_, 0) || !next_number(h.max_, 0) || !next_number(h.sum_, 0)) return false;
  uint64_t total = 0;
  while (!text.empty() && text.find_first_not_of(" \n") != std::string_view::npos) {
    uint64_t index = 0, n = 0;
    if (!next_number(index, ':') || !next_number(n, 0) || index >= kBuckets) return false;
    h.counts_[index] += n;
    total += n;
  }
  if (total != h.count_) return false;
  merge(h);
  return true;
}

}  // namespace kit::bench
