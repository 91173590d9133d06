// Fuzz target for lib/http/chunked_decoder.hpp (libFuzzer). Input: two control bytes, then
// the bytes that follow a chunked request's head. They are decoded three ways: all at once;
// in three reads whose ends the control bytes choose, each read in its own buffer; and one
// byte at a time (inputs up to 16 KiB).
// Property: the three agree on the decoded body, on how it ended (kComplete, kBad with the
// same status, or still kIncomplete) and on how many input bytes belonged to the body (where
// a pipelined request would start); body_bytes() equals the bytes handed out, and they never
// exceed the limit. The limit is small (1 KiB) so that 413 is reachable with short inputs.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_failure.hpp"
#include "http/chunked_decoder.hpp"

namespace {

using kit::http::ChunkedDecoder;
using kit::http::ChunkStatus;

constexpr uint64_t kMaxBody = 1024;
// Inputs up to this size are also fed one byte at a time: above the decoder's 8 KiB line limit,
// which the seed line_too_long crosses (it also raises libFuzzer's -max_len to its size).
constexpr size_t kMaxBytewise = 16 * 1024;

struct Decoded {
  ChunkStatus end = ChunkStatus::kIncomplete;
  int error_status = 0;
  std::string body;
  size_t used = 0;  // input bytes consumed until the end (all of them while incomplete)
  uint64_t body_bytes = 0;

  bool operator==(const Decoded&) const = default;
};

// Feeds input[cuts[i-1], cuts[i]) one read after another; the last cut is input.size().
Decoded decode(std::string_view input, const std::vector<size_t>& cuts) {
  ChunkedDecoder decoder(kMaxBody);
  Decoded out;
  size_t from = 0;
  for (const size_t cut : cuts) {
    const std::string read(input.substr(from, cut - from));  // its own buffer, like a read
    std::string_view in = read;
    from = cut;
    for (;;) {
      const auto step = decoder.next(in);
      in.remove_prefix(step.consumed);
      out.used += step.consumed;
      if (step.status == ChunkStatus::kData) {
        out.body.append(step.data);
        continue;
      }
      if (step.status == ChunkStatus::kIncomplete) break;
      out.end = step.status;
      if (step.status == ChunkStatus::kBad) out.error_status = decoder.error_status();
      out.body_bytes = decoder.body_bytes();
      return out;
    }
  }
  out.body_bytes = decoder.body_bytes();
  return out;
}

std::string describe(const Decoded& d) {
  static constexpr const char* kEnd[] = {"data", "incomplete", "complete", "bad"};
  return "  " + std::string(kEnd[static_cast<int>(d.end)]) + " " + std::to_string(d.error_status) +
         " used=" + std::to_string(d.used) + " body_bytes=" + std::to_string(d.body_bytes) +
         " body=\"" + kit::fuzz::escaped(d.body) + "\"\n";
}

void check(std::string_view input, const Decoded& whole, const Decoded& other,
           const std::string& how) {
  if (other != whole) {
    kit::fuzz::property_failed("chunked_decoder: whole and " + how + " disagree", input,
                               "whole:\n" + describe(whole) + how + ":\n" + describe(other));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
  const size_t n = input.size();
  const size_t cut1 = data[0] * (n + 1) / 256;
  const size_t cut2 = cut1 + data[1] * (n - cut1 + 1) / 256;

  const Decoded whole = decode(input, {n});
  if (whole.body_bytes != whole.body.size() || whole.body.size() > kMaxBody) {
    kit::fuzz::property_failed("chunked_decoder: body_bytes() or the limit", input,
                               describe(whole));
  }
  check(input, whole, decode(input, {cut1, cut2, n}),
        "split at " + std::to_string(cut1) + "," + std::to_string(cut2));
  if (n <= kMaxBytewise) {
    std::vector<size_t> bytewise(n);
    for (size_t i = 0; i < n; ++i)
      bytewise[i] = i + 1;
    check(input, whole, decode(input, bytewise), "one byte at a time");
  }
  return 0;
}
