// Connection persistence (RFC 9112 §9): HTTP/1.1 keeps the connection open for the next
// request unless asked not to, HTTP/1.0 closes unless asked to keep it, and pipelined
// requests are answered in the order they were sent.
#include <catch2/catch.hpp>
#include <chrono>

#include "expectations.hpp"
#include "http_client.hpp"
#include "suite_config.hpp"

namespace blackbox {

using namespace std::chrono_literals;

TEST_CASE("Keep-alive: several requests one after another on one connection",
          "[keep-alive][ch00]") {
  const Expectation& e = expectation("keep-alive");
  INFO(e.why);
  ServerProcess server = start_chapter();
  HttpClient client(server.port());
  for (const char* target : {"/", "/hello.txt", "/style.css", "/docs/", "/hello.txt"}) {
    INFO(target);
    client.send(get(target));
    HttpResponse r = client.read_response();
    REQUIRE(r.status == 200);
    CHECK(r.header("Connection") == "keep-alive");
    REQUIRE_FALSE(r.closed);
  }
  require_healthy(server);
}

TEST_CASE("Pipelining: five requests in one write are answered in order", "[pipelining][ch00]") {
  const Expectation& e = expectation("pipelining");
  INFO(e.why);
  struct Expected {
    const char* target;
    int status;
    const char* file;  // body to compare with, below the root ("" for none)
  };
  const std::vector<Expected> sent{{"/", 200, "index.html"},
                                   {"/hello.txt", 200, "hello.txt"},
                                   {"/missing", 404, ""},
                                   {"/style.css", 200, "style.css"},
                                   {"/docs/", 200, "docs/index.html"}};
  std::string batch;
  for (const Expected& x : sent)
    batch += get(x.target);
  ServerProcess server = start_chapter();
  HttpClient client(server.port());
  client.send(batch);
  for (const Expected& x : sent) {
    INFO(x.target);
    HttpResponse r = client.read_response();
    REQUIRE(r.status == x.status);
    if (*x.file != '\0') CHECK(r.body == file_contents(x.file));
  }
  // And the connection is still good for one more.
  client.send(get("/hello.txt"));
  CHECK(client.read_response().status == 200);
  require_healthy(server);
}

TEST_CASE("HTTP/1.0 closes by default and keeps alive when asked", "[http10-close][ch00]") {
  const Expectation& e = expectation("http10-close");
  INFO(e.why);
  ServerProcess server = start_chapter();
  SECTION("no Connection header: the server closes after the response") {
    HttpClient client(server.port());
    client.send("GET /hello.txt HTTP/1.0\r\n\r\n");
    HttpResponse r = client.read_response();
    REQUIRE(r.status == 200);
    CHECK(r.version == "HTTP/1.1");  // a server answers with its own version (RFC 9110 §6.2)
    CHECK(r.header("Connection") == "close");
    CHECK(r.body == file_contents("hello.txt"));
    CHECK(client.closed_within(2s));
  }
  SECTION("Connection: keep-alive keeps it open") {
    HttpClient client(server.port());
    client.send("GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    HttpResponse r = client.read_response();
    REQUIRE(r.status == 200);
    CHECK(r.header("Connection") == "keep-alive");
    client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    CHECK(client.read_response().status == 200);
  }
  require_healthy(server);
}

TEST_CASE("Connection: close is honoured", "[connection-close][ch00]") {
  const Expectation& e = expectation("connection-close");
  INFO(e.why);
  ServerProcess server = start_chapter();
  HttpClient client(server.port());
  // The request after the one that asked to close must not be answered.
  client.send(get("/hello.txt", "Connection: close\r\n") + get("/"));
  HttpResponse r = client.read_response();
  REQUIRE(r.status == 200);
  CHECK(r.header("Connection") == "close");
  CHECK(client.closed_within(2s));
  HttpResponse after = client.read_response();
  CHECK(after.status == 0);
  CHECK(after.closed);
  require_healthy(server);
}

}  // namespace blackbox
