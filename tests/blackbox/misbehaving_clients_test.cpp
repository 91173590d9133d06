// Clients that do not behave: one byte at a time, gone halfway through a request (FIN or RST),
// or connected and silent. The server must answer what is complete, drop what is abandoned,
// and — from chapter 01 on — never let one client hold up another. After each, the server holds
// the sockets it held before (connection_count.hpp): nothing abandoned is kept.
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <thread>

#include "connection_count.hpp"
#include "expectations.hpp"
#include "http_client.hpp"
#include "suite_config.hpp"

namespace blackbox {

using namespace std::chrono_literals;

namespace {

// How long "not answered" is watched for, and how long "answered" may take.
constexpr auto kStallWindow = 1s;
constexpr auto kAnswerWithin = 2s;

}  // namespace

TEST_CASE("A request fed one byte at a time is answered", "[byte-at-a-time][ch00]") {
  const Expectation& e = expectation("byte-at-a-time");
  INFO(e.why);
  ServerProcess server = start_chapter();
  const size_t before = idle_sockets(server);
  HttpClient client(server.port());
  client.send_byte_by_byte(get("/hello.txt", "User-Agent: blackbox-one-byte\r\n"), 1ms);
  HttpResponse r = client.read_response();
  REQUIRE(r.status == 200);
  CHECK(r.body == file_contents("hello.txt"));
  // Twice on the same connection: the parser was reset between requests.
  client.send_byte_by_byte(get("/"), 1ms);
  CHECK(client.read_response().status == 200);
  client.close();
  require_sockets_back(server, before);
  require_healthy(server);
}

TEST_CASE("A client gone after half a request does not hurt the server",
          "[half-request-then-close][ch00]") {
  const Expectation& e = expectation("half-request-then-close");
  INFO(e.why);
  ServerProcess server = start_chapter();
  const size_t before = idle_sockets(server);
  for (const char* half : {"GET /index.ht", "GET / HTTP/1.1\r\nHost: loc",
                           "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc"}) {
    INFO(half);
    {
      HttpClient client(server.port());
      client.send(half);
      std::this_thread::sleep_for(20ms);  // the server reads the half first
    }                                     // then FIN
    REQUIRE(server.alive());
    CHECK(fetch(server.port(), get("/hello.txt")).status == 200);
  }
  require_sockets_back(server, before);
  require_healthy(server);
}

TEST_CASE("A client that resets mid-request does not hurt the server",
          "[reset-mid-request][ch00]") {
  const Expectation& e = expectation("reset-mid-request");
  INFO(e.why);
  ServerProcess server = start_chapter();
  const size_t before = idle_sockets(server);
  for (int i = 0; i < 3; ++i) {
    HttpClient client(server.port());
    client.send("GET /1m.bin HTTP/1.1\r\nHost: x\r\n");
    std::this_thread::sleep_for(20ms);
    client.reset();
  }
  // And a reset in the middle of a large response (the server is writing, gets EPIPE/RST).
  {
    HttpClient client(server.port(), {.receive_buffer = 16 * 1024});
    client.send(get("/1m.bin"));
    client.receive_slowly(16 * 1024, 4 * 1024, 1ms);
    client.reset();
  }
  REQUIRE(server.alive());
  CHECK(fetch(server.port(), get("/hello.txt")).status == 200);
  require_sockets_back(server, before);
  require_healthy(server);
}

TEST_CASE("Silent and slow clients do not stall a fresh client", "[silent-clients][ch01]") {
  const Expectation& e = expectation("silent-clients");
  INFO(e.why);
  ServerProcess server = start_chapter(server_args(e));
  const size_t before = idle_sockets(server);
  // Half silent (connected, nothing sent), half slow (part of a request, then nothing).
  std::vector<std::unique_ptr<HttpClient>> idle;
  for (int i = 0; i < e.clients; ++i) {
    idle.push_back(std::make_unique<HttpClient>(server.port()));
    if (i % 2 == 1) idle.back()->send("GET / HTTP/1.1\r\nHo");
  }
  std::this_thread::sleep_for(100ms);  // let the server take them on first
  HttpClient fresh(server.port());
  fresh.send(get("/hello.txt"));
  if (e.outcome == Outcome::kPass) {
    REQUIRE(fresh.answered_within(kAnswerWithin));
    CHECK(fresh.read_response().status == 200);
  } else {
    REQUIRE(e.outcome == Outcome::kStalls);
    // The lesson: nobody is answered while the idle clients hold the server...
    REQUIRE_FALSE(fresh.answered_within(kStallWindow));
    idle.clear();
    // ...and the fresh client is, as soon as they leave.
    REQUIRE(fresh.answered_within(kAnswerWithin));
    CHECK(fresh.read_response().status == 200);
  }
  // Everyone gone, nothing kept: the server closes its end of each once their FIN arrives.
  idle.clear();
  fresh.close();
  require_sockets_back(server, before);
  require_healthy(server);
}

}  // namespace blackbox
