// lib/http/chunked_decoder.hpp: decoding whole, split at every byte, and a byte at a time
// must give the same body and the same end.
#include "http/chunked_decoder.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace {

using kit::http::ChunkedDecoder;
using kit::http::ChunkStatus;

struct Decoded {
  ChunkStatus end = ChunkStatus::kIncomplete;
  std::string body;
  size_t used = 0;  // bytes of the input that belonged to the chunked body
  int error = 0;
  bool operator==(const Decoded&) const = default;
};

// Feeds the pieces input[cuts[i-1], cuts[i]) one after another, as reads would deliver them.
Decoded decode(std::string_view input, const std::vector<size_t>& cuts, uint64_t max = 1 << 20) {
  ChunkedDecoder d(max);
  Decoded out;
  size_t from = 0;
  for (size_t end : cuts) {
    std::string piece(input.substr(from, end - from));  // its own buffer, like a read
    std::string_view in = piece;
    while (true) {
      const auto step = d.next(in);
      in.remove_prefix(step.consumed);
      out.used += step.consumed;
      if (step.status == ChunkStatus::kData) {
        out.body.append(step.data);
        continue;
      }
      if (step.status == ChunkStatus::kIncomplete) break;
      out.end = step.status;
      if (step.status == ChunkStatus::kBad) out.error = d.error_status();
      return out;
    }
    from = end;
  }
  return out;
}

Decoded decode_all_ways(std::string_view input, uint64_t max = 1 << 20) {
  const Decoded whole = decode(input, {input.size()}, max);
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    INFO("split at " << cut);
    const Decoded split = decode(input, {cut, input.size()}, max);
    REQUIRE(split.end == whole.end);
    REQUIRE(split.error == whole.error);
    if (whole.end == ChunkStatus::kComplete) {
      REQUIRE(split.body == whole.body);
      REQUIRE(split.used == whole.used);
    }
  }
  std::vector<size_t> bytes;
  for (size_t i = 1; i <= input.size(); ++i)
    bytes.push_back(i);
  const Decoded one = decode(input, bytes, max);
  REQUIRE(one.end == whole.end);
  if (whole.end == ChunkStatus::kComplete) REQUIRE(one == whole);
  return whole;
}

}  // namespace

TEST_CASE("chunks are joined into the body and the end is found", "[ch00][chunked_decoder]") {
  const std::string body = "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n";
  const Decoded d = decode_all_ways(body + "GET / HTTP/1.1\r\n");
  CHECK(d.end == ChunkStatus::kComplete);
  CHECK(d.body == "hello, world");
  CHECK(d.used == body.size());  // the pipelined request after it is left alone
}

TEST_CASE("hex sizes in either case, and trailers are dropped", "[ch00][chunked_decoder]") {
  const std::string big(0x1A, 'x');
  const Decoded d = decode_all_ways("1a\r\n" + big + "\r\n0\r\nX-Sum: 1\r\nY: 2\r\n\r\n");
  CHECK(d.end == ChunkStatus::kComplete);
  CHECK(d.body == big);
  CHECK(decode_all_ways("1A \t;x\r\n" + big + "\r\n0\r\n\r\n").body == big);
}

TEST_CASE("malformed chunking is 400", "[ch00][chunked_decoder]") {
  CHECK(decode_all_ways("\r\n").error == 400);                     // no size
  CHECK(decode_all_ways("g\r\nx\r\n0\r\n\r\n").error == 400);      // not hex
  CHECK(decode_all_ways("3\r\nabcd\r\n0\r\n\r\n").error == 400);   // data longer than the size
  CHECK(decode_all_ways("3\nabc\r\n0\r\n\r\n").error == 400);      // bare LF after size
  CHECK(decode_all_ways("fffffffffffffffffff\r\n").error == 400);  // overflow
  CHECK(decode_all_ways("0\r\n\n").error == 400);
  CHECK(decode_all_ways("1 2\r\nx\r\n").error == 400);  // space inside the size
  CHECK(decode_all_ways("1;" + std::string(9000, 'e') + "\r\nx\r\n0\r\n\r\n").error == 400);
}

TEST_CASE("a body over the limit is 413 before its data is read", "[ch00][chunked_decoder]") {
  const Decoded d = decode_all_ways("8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n", 10);
  CHECK(d.end == ChunkStatus::kBad);
  CHECK(d.error == 413);
}

TEST_CASE("an unfinished body stays incomplete, reset() starts over", "[ch00][chunked_decoder]") {
  ChunkedDecoder d;
  auto step = d.next("5\r\nhel");
  CHECK(step.status == ChunkStatus::kData);
  CHECK(step.data == "hel");
  step = d.next("");
  CHECK(step.status == ChunkStatus::kIncomplete);
  CHECK(d.body_bytes() == 3);
  d.reset();
  step = d.next("0\r\n\r\n");
  CHECK(step.status == ChunkStatus::kComplete);
  CHECK(step.consumed == 5);
}
