// bench/loadgen/latency_histogram.hpp
#include "latency_histogram.hpp"

#include <catch2/catch.hpp>
#include <random>

using kit::bench::LatencyHistogram;

TEST_CASE("small values are exact, larger ones within 1/64", "[bench][histogram]") {
  for (uint64_t v = 0; v < 128; ++v)
    CHECK(LatencyHistogram::bucket_upper(LatencyHistogram::bucket_of(v)) == v);
  std::mt19937_64 rng(42);
  for (int i = 0; i < 100000; ++i) {
    const uint64_t v = rng() >> (rng() % 40);
    const uint64_t up = LatencyHistogram::bucket_upper(LatencyHistogram::bucket_of(v));
    INFO(v);
    REQUIRE(up >= v);
    REQUIRE(static_cast<double>(up - v) <= static_cast<double>(v) / 64.0 + 1);
  }
  CHECK(LatencyHistogram::bucket_of(UINT64_MAX) < LatencyHistogram::kBuckets);
}

TEST_CASE("bucket indexes increase with the value", "[bench][histogram]") {
  size_t last = 0;
  for (uint64_t v = 1; v < (uint64_t{1} << 40); v = v * 3 / 2 + 1) {
    const size_t b = LatencyHistogram::bucket_of(v);
    REQUIRE(b >= last);
    last = b;
  }
}

TEST_CASE("percentiles of a known distribution", "[bench][histogram]") {
  LatencyHistogram h;
  for (uint64_t v = 1; v <= 10000; ++v)
    h.record(v * 1000);  // 1 µs .. 10 ms
  CHECK(h.count() == 10000);
  CHECK(h.max() == 10'000'000);
  auto near = [](uint64_t got, uint64_t want) {
    return got >= want && static_cast<double>(got - want) <= static_cast<double>(want) / 64.0;
  };
  CHECK(near(h.percentile(0.5), 5'000'000));
  CHECK(near(h.percentile(0.99), 9'900'000));
  CHECK(near(h.percentile(0.999), 9'990'000));
  CHECK(h.percentile(1.0) == 10'000'000);
  CHECK(h.mean() == Approx(5'000'500.0));
  CHECK(LatencyHistogram{}.percentile(0.5) == 0);
}

TEST_CASE("merging through the serialized form equals merging directly", "[bench][histogram]") {
  LatencyHistogram a, b;
  for (uint64_t v = 0; v < 5000; ++v)
    a.record(v * 37);
  for (uint64_t v = 0; v < 3000; ++v)
    b.record(v * v);
  LatencyHistogram direct = a;
  direct.merge(b);
  LatencyHistogram piped = a;
  REQUIRE(piped.merge_serialized(b.serialize()));
  CHECK(piped.serialize() == direct.serialize());
  CHECK_FALSE(piped.merge_serialized("3 1 2 5:1"));  // counts do not add up
  CHECK_FALSE(piped.merge_serialized("x"));
  CHECK_FALSE(piped.merge_serialized("1 1 1 99999:1"));  // bucket out of range
}
