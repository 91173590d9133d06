// lib/http/request_parser.hpp: every input is parsed four ways — all at once, split at every
// byte position, one byte at a time, and with the buffer copied to a new place before each
// call — and all four must agree (the parser keeps offsets and resumes where it stopped).
#include "http/request_parser.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace {

using kit::http::BodyFraming;
using kit::http::Method;
using kit::http::ParseStatus;
using kit::http::RequestHead;
using kit::http::RequestParser;

struct Outcome {
  ParseStatus status = ParseStatus::kIncomplete;
  int error = 0;
  size_t consumed = 0;
  std::string method, target, host;
  int minor = -1;
  BodyFraming framing = BodyFraming::kNone;
  uint64_t length = 0;
  bool keep_alive = false;
  std::vector<std::pair<std::string, std::string>> headers;

  bool operator==(const Outcome&) const = default;
};

Outcome outcome_of(const RequestParser& p, ParseStatus s, std::string_view data) {
  Outcome o;
  o.status = s;
  if (s == ParseStatus::kBad) o.error = p.error_status();
  if (s != ParseStatus::kComplete) return o;
  const RequestHead h = p.head(data);
  o.consumed = p.consumed();
  o.method = h.method_text;
  o.target = h.target;
  o.host = h.host;
  o.minor = h.version_minor;
  o.framing = h.framing;
  o.length = h.content_length;
  o.keep_alive = h.keep_alive;
  for (const auto& f : h.headers)
    o.headers.emplace_back(f.name, f.value);
  return o;
}

// Feeds `input` in pieces whose ends are `cuts`; `move` copies the bytes to a fresh buffer
// before every call, as a connection's buffer may be reallocated between reads.
Outcome feed(std::string_view input, const std::vector<size_t>& cuts, bool move = false) {
  RequestParser p;
  ParseStatus s = ParseStatus::kIncomplete;
  std::string moving;
  for (size_t end : cuts) {
    std::string_view data = input.substr(0, end);
    if (move) {
      moving = std::string(data);  // new allocation, same bytes
      moving.reserve(moving.size() + 64 + end % 7);
      data = moving;
    }
    s = p.parse(data);
    if (s != ParseStatus::kIncomplete) return outcome_of(p, s, data);
  }
  return outcome_of(p, s, input);
}

// Parses `input` every way and checks they agree; returns the (common) outcome.
Outcome parse_all_ways(std::string_view input) {
  const Outcome whole = feed(input, {input.size()});
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    INFO("split at " << cut);
    REQUIRE(feed(input, {cut, input.size()}) == whole);
  }
  std::vector<size_t> bytes;
  for (size_t i = 1; i <= input.size(); ++i)
    bytes.push_back(i);
  REQUIRE(feed(input, bytes) == whole);
  REQUIRE(feed(input, bytes, /*move=*/true) == whole);
  return whole;
}

int error_of(std::string_view input) {
  const Outcome o = parse_all_ways(input);
  REQUIRE(o.status == ParseStatus::kBad);
  return o.error;
}

}  // namespace

TEST_CASE("a simple GET is parsed the same whatever the split", "[ch00][request_parser]") {
  const std::string req =
      "GET /index.html?x=1 HTTP/1.1\r\nHost: example.org\r\nAccept: */*\r\n\r\n";
  const Outcome o = parse_all_ways(req);
  REQUIRE(o.status == ParseStatus::kComplete);
  CHECK(o.method == "GET");
  CHECK(o.target == "/index.html?x=1");
  CHECK(o.host == "example.org");
  CHECK(o.minor == 1);
  CHECK(o.keep_alive);
  CHECK(o.framing == BodyFraming::kNone);
  CHECK(o.consumed == req.size());
  REQUIRE(o.headers.size() == 2);
  CHECK(o.headers[1] == std::pair<std::string, std::string>("Accept", "*/*"));
}

TEST_CASE("field values lose surrounding whitespace, names keep their case",
          "[ch00][request_parser]") {
  const Outcome o =
      parse_all_ways("GET / HTTP/1.1\r\nhOsT:   a.b  \r\nX-Empty:\r\nX-Tab:\tv w\t\r\n\r\n");
  REQUIRE(o.status == ParseStatus::kComplete);
  CHECK(o.host == "a.b");
  CHECK(o.headers[0].first == "hOsT");
  CHECK(o.headers[1].second.empty());
  CHECK(o.headers[2].second == "v w");
}

TEST_CASE("bytes after the head are not consumed (body, pipelined request)",
          "[ch00][request_parser]") {
  const std::string head = "POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n";
  const Outcome o = parse_all_ways(head + "helloGET / HTTP/1.1\r\n");
  REQUIRE(o.status == ParseStatus::kComplete);
  CHECK(o.consumed == head.size());
  CHECK(o.framing == BodyFraming::kContentLength);
  CHECK(o.length == 5);
}

TEST_CASE("leading empty lines and bare LF line ends are tolerated", "[ch00][request_parser]") {
  const Outcome o = parse_all_ways("\r\n\r\nGET / HTTP/1.1\nHost: h\n\n");
  REQUIRE(o.status == ParseStatus::kComplete);
  CHECK(o.method == "GET");
  CHECK(o.host == "h");
}

TEST_CASE("persistence follows the version and Connection", "[ch00][request_parser]") {
  CHECK(parse_all_ways("GET / HTTP/1.1\r\nHost: h\r\n\r\n").keep_alive);
  CHECK_FALSE(parse_all_ways("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").keep_alive);
  CHECK_FALSE(parse_all_ways("GET / HTTP/1.0\r\n\r\n").keep_alive);
  CHECK(parse_all_ways("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive);
  CHECK_FALSE(parse_all_ways("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n").keep_alive);
  CHECK_FALSE(
      parse_all_ways("GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade, CLOSE\r\n\r\n").keep_alive);
}

TEST_CASE("HTTP/1.0 needs no Host, 1.1 needs exactly one", "[ch00][request_parser]") {
  CHECK(parse_all_ways("GET / HTTP/1.0\r\n\r\n").status == ParseStatus::kComplete);
  CHECK(error_of("GET / HTTP/1.1\r\n\r\n") == 400);
  CHECK(error_of("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400);
  CHECK(error_of("GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n") == 400);
}

TEST_CASE("chunked framing and the RFC 9112 smuggling rules", "[ch00][request_parser]") {
  const Outcome chunked =
      parse_all_ways("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n");
  REQUIRE(chunked.status == ParseStatus::kComplete);
  CHECK(chunked.framing == BodyFraming::kChunked);
  // Both TE and CL: the classic request-smuggling ambiguity.
  CHECK(error_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: "
                 "chunked\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == 501);
  CHECK(error_of("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n") == 501);
  CHECK(error_of("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") == 400);
}

TEST_CASE("Content-Length must be digits and must not conflict", "[ch00][request_parser]") {
  CHECK(error_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1 2\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x10\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n") ==
        400);
  CHECK(error_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n") ==
        400);
  // The same value twice is not a conflict.
  const Outcome same = parse_all_ways(
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n");
  CHECK(same.status == ParseStatus::kComplete);
  CHECK(same.length == 3);
  CHECK(parse_all_ways("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n").framing ==
        BodyFraming::kNone);
}

TEST_CASE("malformed request lines and fields are 400", "[ch00][request_parser]") {
  CHECK(error_of("GET /a b HTTP/1.1\r\nHost: h\r\n\r\n") == 400);
  CHECK(error_of("GET  / HTTP/1.1\r\nHost: h\r\n\r\n") == 400);
  CHECK(error_of("GET /\r\n\r\n") == 400);  // HTTP/0.9
  CHECK(error_of("G(T / HTTP/1.1\r\nHost: h\r\n\r\n") == 400);
  CHECK(error_of("GET / HTTP/1.x\r\nHost: h\r\n\r\n") == 400);
  CHECK(error_of("GET / http/1.1\r\nHost: h\r\n\r\n") == 400);
  CHECK(error_of("GET / HTTP/1.1\rHost: h\r\n\r\n") == 400);     // bare CR
  CHECK(error_of("GET / HTTP/1.1\r\nHost : h\r\n\r\n") == 400);  // whitespace before colon
  CHECK(error_of("GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n") == 400);  // obs-fold
  CHECK(error_of("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n") == 400);
  CHECK(error_of("GET / HTTP/1.1\r\nHost: h\r\nX: a\x01z\r\n\r\n") == 400);
  CHECK(error_of(std::string("GET / HTTP/1.1\r\nHost: h\r\nX: a\0z\r\n\r\n", 33)) == 400);
  CHECK(error_of("GET /\x7f HTTP/1.1\r\nHost: h\r\n\r\n") == 400);
}

TEST_CASE("versions other than 1.x are 505", "[ch00][request_parser]") {
  CHECK(error_of("GET / HTTP/2.0\r\n\r\n") == 505);
  CHECK(error_of("GET / HTTP/0.9\r\n\r\n") == 505);
  const Outcome minor = parse_all_ways("GET / HTTP/1.2\r\nHost: h\r\n\r\n");
  CHECK(minor.status == ParseStatus::kComplete);  // a later 1.x minor is read as 1.1
}

TEST_CASE("the size limits answer 414 and 431", "[ch00][request_parser]") {
  RequestParser p;
  std::string long_line = "GET /" + std::string(8 * 1024, 'a') + " HTTP/1.1\r\n";
  CHECK(p.parse(long_line) == ParseStatus::kBad);
  CHECK(p.error_status() == 414);

  std::string big = "GET / HTTP/1.1\r\nHost: h\r\n";
  while (big.size() < 65 * 1024)
    big += "X-Filler: " + std::string(1000, 'v') + "\r\n";
  RequestParser q;
  CHECK(q.parse(big) == ParseStatus::kBad);
  CHECK(q.error_status() == 431);

  std::string many = "GET / HTTP/1.1\r\nHost: h\r\n";
  for (int i = 0; i < 100; ++i)
    many += "X-" + std::to_string(i) + ": v\r\n";
  RequestParser r;
  CHECK(r.parse(many + "\r\n") == ParseStatus::kBad);
  CHECK(r.error_status() == 431);

  // Just under the limits passes: 99 extra fields + Host = 100.
  std::string ok = "GET / HTTP/1.1\r\nHost: h\r\n";
  for (int i = 0; i < 99; ++i)
    ok += "X-" + std::to_string(i) + ": v\r\n";
  RequestParser s;
  CHECK(s.parse(ok + "\r\n") == ParseStatus::kComplete);
}

TEST_CASE("request_line_done turns true once the request line is in", "[ch07][request_parser]") {
  RequestParser p;
  CHECK(p.parse("GET / HTTP/1.1\r") == ParseStatus::kIncomplete);
  CHECK_FALSE(p.request_line_done());
  CHECK(p.parse("GET / HTTP/1.1\r\nHo") == ParseStatus::kIncomplete);
  CHECK(p.request_line_done());
}

TEST_CASE("reset() makes the parser ready for the next request", "[ch00][request_parser]") {
  const std::string two = "GET /a HTTP/1.1\r\nHost: h\r\n\r\nHEAD /b HTTP/1.1\r\nHost: h\r\n\r\n";
  RequestParser p;
  REQUIRE(p.parse(two) == ParseStatus::kComplete);
  const size_t first = p.consumed();
  CHECK(p.head(two).target == "/a");
  p.reset();
  const std::string_view rest = std::string_view(two).substr(first);
  REQUIRE(p.parse(rest) == ParseStatus::kComplete);
  const RequestHead h = p.head(rest);
  CHECK(h.method == Method::kHead);
  CHECK(h.target == "/b");
  CHECK(p.consumed() == rest.size());
}
