// LatencyHistogram: every latency recorded (no sampling) into log-linear buckets, in the style
// of HdrHistogram: values below 128 ns are exact; above, each power of two is split into 64
// buckets, so a reported percentile is within 1/64 (1.6 %) of the true value. Fixed size
// (~3.7k buckets up to an hour in ns), so recording is an increment and merging histograms
// from several loadgen processes is adding arrays. The maximum is kept exactly.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace kit::bench {

class LatencyHistogram {
 public:
  static constexpr int kSubBits = 7;                 // 2^7 = 128 exact values, then 64 per octave
  static constexpr size_t kBuckets = 128 + 64 * 58;  // covers up to 2^64 ns

  void record(uint64_t ns);
  void merge(const LatencyHistogram& other);

  [[nodiscard]] uint64_t count() const { return count_; }
  [[nodiscard]] uint64_t max() const { return max_; }
  [[nodiscard]] double mean() const {
    return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0;
  }
  // The value at quantile q (0 < q ≤ 1), reported as the upper edge of its bucket (never
  // under the true value); 0 when empty. q = 1 gives the exact maximum.
  [[nodiscard]] uint64_t percentile(double q) const;

  // One line of text ("count max sum idx:n idx:n ...") for the pipe between processes.
  [[nodiscard]] std::string serialize() const;
  // Adds a serialized histogram; false if the text is malformed.
  bool merge_serialized(std::string_view text);

  // Bucket arithmetic, public for the tests.
  [[nodiscard]] static size_t bucket_of(uint64_t ns);
  [[nodiscard]] static uint64_t bucket_upper(size_t index);

 private:
  std::array<uint64_t, kBuckets> counts_{};
  uint64_t count_ = 0;
  uint64_t max_ = 0;
  uint64_t sum_ = 0;
};

}  // namespace kit::bench
