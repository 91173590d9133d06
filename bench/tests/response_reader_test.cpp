// bench/loadgen/response_reader.hpp: framing of responses, fed whole and byte by byte.
#include "response_reader.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using kit::bench::ResponseReader;
using Status = ResponseReader::Status;

namespace {

struct Read {
  std::vector<int> statuses;  // of the complete responses, in order
  bool bad = false;
  size_t leftover = 0;  // bytes after the last complete response
};

Read read_stream(std::string_view stream, size_t piece) {
  ResponseReader r;
  Read out;
  size_t pending_from = 0;
  for (size_t at = 0; at < stream.size(); at += piece) {
    std::string_view in = stream.substr(at, piece);
    while (!in.empty()) {
      const auto step = r.feed(in);
      in.remove_prefix(step.consumed);
      if (step.status == Status::kBad) {
        out.bad = true;
        return out;
      }
      if (step.status == Status::kNeedMore) break;
      out.statuses.push_back(r.status_code());
      r.reset();
      pending_from =
          stream.size() - in.size() - (stream.size() - std::min(stream.size(), at + piece));
    }
  }
  if (r.started() && r.on_eof() == Status::kComplete) {
    out.statuses.push_back(r.status_code());
    pending_from = stream.size();
  }
  out.leftover = stream.size() - pending_from;
  return out;
}

}  // namespace

TEST_CASE("Content-Length, chunked, no-body and close-delimited responses", "[bench][reader]") {
  const std::string stream =
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
      "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
      "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"
      "HTTP/1.0 200 OK\r\n\r\nuntil the server closes";
  for (size_t piece : {stream.size(), size_t{1}, size_t{7}}) {
    INFO("pieces of " << piece);
    const Read r = read_stream(stream, piece);
    CHECK_FALSE(r.bad);
    CHECK(r.statuses == std::vector<int>{200, 404, 200, 304, 200});
  }
}

TEST_CASE("Connection: close and HTTP/1.0 are noticed", "[bench][reader]") {
  ResponseReader r;
  CHECK(r.feed("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").status ==
        Status::kComplete);
  CHECK(r.server_closes());
  r.reset();
  CHECK(r.feed("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").status ==
        Status::kComplete);
  CHECK_FALSE(r.server_closes());
  r.reset();
  CHECK(r.feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").status == Status::kComplete);
  CHECK_FALSE(r.server_closes());
}

TEST_CASE("garbage and truncated responses are errors", "[bench][reader]") {
  ResponseReader r;
  CHECK(r.feed("SSH-2.0-OpenSSH\r\n\r\n").status == Status::kBad);
  r.reset();
  CHECK(r.feed("HTTP/1.1 2x0 OK\r\n\r\n").status == Status::kBad);
  r.reset();
  CHECK(r.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc").status == Status::kNeedMore);
  CHECK(r.on_eof() == Status::kBad);  // the body was cut short
  r.reset();
  CHECK_FALSE(r.started());
  CHECK(r.feed(std::string(70 * 1024, 'x')).status == Status::kBad);  // no end of head
}
