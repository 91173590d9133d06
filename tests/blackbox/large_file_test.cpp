// Bodies larger than a socket buffer: the server must send all of it, in order, even when the
// client reads slowly (a non-blocking server sees EAGAIN mid-response and must resume where
// it stopped) and even with more pipelined requests waiting behind it.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "expectations.hpp"
#include "http_client.hpp"
#include "pattern_file.hpp"
#include "suite_config.hpp"

namespace blackbox {

using namespace std::chrono_literals;

namespace {

constexpr size_t kOneMiB = 1024 * 1024;

const std::string& one_mib_pattern() {
  static const std::string bytes = pattern_bytes(kOneMiB);
  return bytes;
}

}  // namespace

TEST_CASE("GET /1m.bin returns the 1 MiB pattern byte for byte", "[large-file][ch00]") {
  const Expectation& e = expectation("large-file");
  INFO(e.why);
  ServerProcess server = start_chapter();
  HttpResponse r = fetch(server.port(), get("/1m.bin"));
  REQUIRE(r.status == 200);
  CHECK(r.header("Content-Length") == std::to_string(kOneMiB));
  INFO(first_difference(r.body, one_mib_pattern()));
  REQUIRE(r.body == one_mib_pattern());
  require_healthy(server);
}

TEST_CASE("Three pipelined 1 MiB responses to a slow reader arrive whole and in order",
          "[pipelined-large-slow-reader][ch00]") {
  const Expectation& e = expectation("pipelined-large-slow-reader");
  INFO(e.why);
  ServerProcess server = start_chapter();
  // A small receive buffer so the server's writes stop short while we are not reading.
  HttpClient client(server.port(), {.timeout = 10s, .receive_buffer = 16 * 1024});
  client.send(get("/1m.bin") + get("/hello.txt") + get("/1m.bin") + get("/1m.bin"));
  std::this_thread::sleep_for(200ms);                // the server fills every buffer
  client.receive_slowly(128 * 1024, 4 * 1024, 2ms);  // then drains it a little at a time
  HttpResponse first = client.read_response();
  HttpResponse small = client.read_response();
  HttpResponse second = client.read_response();
  HttpResponse third = client.read_response();
  for (const HttpResponse* r : {&first, &second, &third}) {
    REQUIRE(r->status == 200);
    INFO(first_difference(r->body, one_mib_pattern()));
    REQUIRE(r->body == one_mib_pattern());
  }
  REQUIRE(small.status == 200);
  CHECK(small.body == file_contents("hello.txt"));
  require_healthy(server);
}

}  // namespace blackbox
