// Timeouts (chapter 08): a slowloris, an idle keep-alive connection and a long keep-alive
// session. From chapter 08 the server ends each on time (run with short timeouts, see
// expectations.cpp); before it, the lesson is that nothing ends them — the test asserts that
// the connection outlives the window and is still served, so a chapter that closes it for
// another reason fails.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "connection_count.hpp"
#include "expectations.hpp"
#include "http_client.hpp"
#include "suite_config.hpp"

namespace blackbox {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// The timeouts chapter 08+ run with here are 1 s: the server may not close before it, and
// must close within this (generous for sanitizer builds on a loaded machine).
constexpr auto kTimeout = 1s;
constexpr auto kCloseWithin = 4s;
// How long a chapter without timers is watched keeping the connection.
constexpr auto kNoTimeoutWindow = 1500ms;

constexpr std::string_view kDrip = "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nX-Drip: ";

}  // namespace

TEST_CASE("A slowloris is cut off by client_header_timeout", "[slowloris][ch08]") {
  const Expectation& e = expectation("slowloris");
  INFO(e.why);
  ServerProcess server = start_chapter(server_args(e));
  const size_t before = idle_sockets(server);
  HttpClient client(server.port());
  const auto start = Clock::now();
  // The start of a head, then one header byte every 200 ms: the head never completes.
  client.send(kDrip);
  bool closed = false;
  while (!closed && Clock::now() - start < kCloseWithin) {
    const char byte = 'a';
    if (!client.try_send(std::string_view(&byte, 1))) break;
    closed = client.closed_within(200ms);
    if (e.outcome == Outcome::kNoTimeout && Clock::now() - start >= kNoTimeoutWindow) break;
  }
  const auto elapsed = Clock::now() - start;
  if (e.outcome == Outcome::kNoTimeout) {
    REQUIRE_FALSE(closed);
    // Still served: finish the head and get the file.
    client.send("\r\n\r\n");
    CHECK(client.read_response().status == 200);
  } else {
    REQUIRE(e.outcome == Outcome::kPass);
    CHECK(client.closed_within(kCloseWithin));
    CHECK(elapsed >= kTimeout - 100ms);  // not before its time (the first byte came first)
    // Closed means gone from the server, while the client still holds its end.
    require_sockets_back(server, before);
  }
  client.close();  // chapter 00 serves one connection at a time
  CHECK(fetch(server.port(), get("/hello.txt")).status == 200);
  require_sockets_back(server, before);
  require_healthy(server);
}

TEST_CASE("An idle keep-alive connection is closed after keepalive_timeout",
          "[keepalive-timeout][ch08]") {
  const Expectation& e = expectation("keepalive-timeout");
  INFO(e.why);
  ServerProcess server = start_chapter(server_args(e));
  HttpClient client(server.port());
  client.send(get("/hello.txt"));
  REQUIRE(client.read_response().status == 200);
  const auto start = Clock::now();
  if (e.outcome == Outcome::kNoTimeout) {
    REQUIRE_FALSE(client.closed_within(kNoTimeoutWindow));
    client.send(get("/hello.txt"));
    CHECK(client.read_response().status == 200);
  } else {
    REQUIRE(e.outcome == Outcome::kPass);
    REQUIRE(client.closed_within(kCloseWithin));
    CHECK(Clock::now() - start >= kTimeout - 100ms);
  }
  require_healthy(server);
}

TEST_CASE("keepalive_requests ends a connection after its last request",
          "[keepalive-requests][ch08]") {
  const Expectation& e = expectation("keepalive-requests");
  INFO(e.why);
  ServerProcess server = start_chapter(server_args(e));
  HttpClient client(server.port());
  const int limit = e.outcome == Outcome::kPass ? 3 : 4;
  for (int i = 1; i <= limit; ++i) {
    INFO("request " << i);
    client.send(get("/hello.txt"));
    const HttpResponse r = client.read_response();
    REQUIRE(r.status == 200);
    const bool last = e.outcome == Outcome::kPass && i == limit;
    CHECK(r.header("Connection").value_or("") == (last ? "close" : "keep-alive"));
  }
  if (e.outcome == Outcome::kPass) {
    CHECK(client.closed_within(kCloseWithin));
  } else {
    REQUIRE(e.outcome == Outcome::kNoTimeout);
    CHECK_FALSE(client.closed_within(200ms));
  }
  require_healthy(server);
}

}  // namespace blackbox
