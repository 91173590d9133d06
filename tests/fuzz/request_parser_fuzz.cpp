// Fuzz target for lib/http/request_parser.hpp (libFuzzer). Input: two control bytes, then what
// a client sends on one connection (pipelined requests included). The stream is parsed as a
// connection would receive it, three ways: all at once; in three reads whose ends the control
// bytes choose, the received bytes copied to a new buffer before every call (the parser keeps
// offsets, never pointers); and one byte at a time (streams up to 4 KiB).
// Property: the three agree on every request — the status (with error status and reason),
// and on kComplete the method, target, version, fields, Host, framing, Content-Length,
// keep-alive and bytes consumed. After a complete head a Content-Length body is skipped and
// the next request parsed; a chunked body ends the stream (chunked_decoder_fuzz covers it).
// The size limits are small (kLimits) so that 414 and 431 are reachable with short inputs.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_failure.hpp"
#include "http/request_parser.hpp"

namespace {

using kit::http::BodyFraming;
using kit::http::Method;
using kit::http::ParserLimits;
using kit::http::ParseStatus;
using kit::http::RequestHead;
using kit::http::RequestParser;

// 256-byte request line, 1 KiB of fields, 16 fields: the same checks as at nginx's sizes, but
// within libFuzzer's default 4 KiB inputs, so a limit can be crossed at any split point.
constexpr ParserLimits kLimits{256, 1024, 16};
// Requests parsed per stream at most: a longer pipeline reaches no new parser state.
constexpr size_t kMaxRequests = 16;
// Streams up to this size are also fed one byte at a time (O(n): the parser resumes).
constexpr size_t kMaxBytewise = 4096;

// What one parse() sequence ended with, copied out of the buffer so the ways can be compared.
struct Outcome {
  ParseStatus status = ParseStatus::kIncomplete;
  bool request_line_done = false;
  int error_status = 0;
  std::string error_reason;
  std::string method_text, target, host;
  Method method = Method::kOther;
  int version_major = 0, version_minor = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  BodyFraming framing = BodyFraming::kNone;
  uint64_t content_length = 0;
  bool keep_alive = false;
  size_t consumed = 0;

  bool operator==(const Outcome&) const = default;
};

Outcome outcome_of(const RequestParser& parser, ParseStatus status, std::string_view data) {
  Outcome o;
  o.status = status;
  o.request_line_done = parser.request_line_done();
  if (status == ParseStatus::kBad) {
    o.error_status = parser.error_status();
    o.error_reason = parser.error_reason();
  }
  if (status != ParseStatus::kComplete) return o;
  const RequestHead h = parser.head(data);
  o.method_text = h.method_text;
  o.target = h.target;
  o.host = h.host;
  o.method = h.method;
  o.version_major = h.version_major;
  o.version_minor = h.version_minor;
  for (const auto& field : h.headers)
    o.headers.emplace_back(field.name, field.value);
  o.framing = h.framing;
  o.content_length = h.content_length;
  o.keep_alive = h.keep_alive;
  o.consumed = parser.consumed();
  return o;
}

// Parses `stream` as reads deliver it: `arrived` holds the increasing number of bytes received
// after each read, the last one stream.size(). With `move`, the bytes of the current request
// are copied to a fresh buffer before every call, as a growing receive buffer moves.
std::vector<Outcome> feed(std::string_view stream, const std::vector<size_t>& arrived, bool move) {
  RequestParser parser(kLimits);
  std::vector<Outcome> outcomes;
  std::string moved;
  size_t start = 0;  // first byte of the request being parsed
  size_t read = 0;   // index into `arrived`
  while (outcomes.size() < kMaxRequests && start < stream.size()) {
    std::string_view data;
    if (arrived[read] > start) data = stream.substr(start, arrived[read] - start);
    if (move) {
      moved = std::string(data);
      data = moved;
    }
    const ParseStatus status = parser.parse(data);
    if (status == ParseStatus::kIncomplete && read + 1 < arrived.size()) {
      ++read;
      continue;
    }
    outcomes.push_back(outcome_of(parser, status, data));
    const Outcome& o = outcomes.back();
    if (status != ParseStatus::kComplete || o.framing == BodyFraming::kChunked) break;
    const uint64_t body = o.framing == BodyFraming::kContentLength ? o.content_length : 0;
    if (body > stream.size() - start - o.consumed) break;  // the body never fully arrives
    start += o.consumed + static_cast<size_t>(body);
    parser.reset();
  }
  return outcomes;
}

std::string describe(const std::vector<Outcome>& outcomes) {
  static constexpr const char* kStatus[] = {"complete", "incomplete", "bad"};
  std::string out;
  for (const Outcome& o : outcomes) {
    out += "  " + std::string(kStatus[static_cast<int>(o.status)]);
    out += " line_done=" + std::to_string(o.request_line_done);
    if (o.status == ParseStatus::kBad) {
      out += " " + std::to_string(o.error_status) + " (" + o.error_reason + ")";
    }
    if (o.status == ParseStatus::kComplete) {
      out +=
          " \"" + kit::fuzz::escaped(o.method_text) + " " + kit::fuzz::escaped(o.target) + "\" 1." +
          std::to_string(o.version_minor) + " fields=" + std::to_string(o.headers.size()) +
          " host=\"" + kit::fuzz::escaped(o.host) +
          "\" framing=" + std::to_string(static_cast<int>(o.framing)) +
          " length=" + std::to_string(o.content_length) +
          " keep_alive=" + std::to_string(o.keep_alive) + " consumed=" + std::to_string(o.consumed);
    }
    out += "\n";
  }
  return out;
}

void check_agree(std::string_view stream, const std::vector<Outcome>& whole,
                 const std::vector<Outcome>& other, const std::string& how) {
  if (other == whole) return;
  kit::fuzz::property_failed("request_parser: whole and " + how + " disagree", stream,
                             "whole:\n" + describe(whole) + how + ":\n" + describe(other));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);
  const size_t n = stream.size();
  // Each control byte picks a point in proportion (0 → the start, 255 → near the end).
  const size_t cut1 = data[0] * (n + 1) / 256;
  const size_t cut2 = cut1 + data[1] * (n - cut1 + 1) / 256;

  const std::vector<Outcome> whole = feed(stream, {n}, false);
  check_agree(stream, whole, feed(stream, {cut1, cut2, n}, true),
              "split at " + std::to_string(cut1) + "," + std::to_string(cut2));
  if (n > 0 && n <= kMaxBytewise) {
    std::vector<size_t> bytewise(n);
    for (size_t i = 0; i < n; ++i)
      bytewise[i] = i + 1;
    check_agree(stream, whole, feed(stream, bytewise, false), "one byte at a time");
  }
  return 0;
}
