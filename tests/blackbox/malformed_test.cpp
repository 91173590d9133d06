// Malformed requests get the status RFC 9112 (and nginx's limits) call for, then a close —
// and the server stays up and keeps serving everyone else.
#include <catch2/catch.hpp>
#include <chrono>

#include "connection_count.hpp"
#include "expectations.hpp"
#include "http_client.hpp"
#include "suite_config.hpp"

namespace blackbox {

using namespace std::chrono_literals;

namespace {

std::string many_fields(int n) {
  std::string fields;
  for (int i = 0; i < n; ++i)
    fields += "X-Field-" + std::to_string(i) + ": v\r\n";
  return fields;
}

}  // namespace

TEST_CASE("Malformed requests are answered with their status, closed, and survived",
          "[malformed][ch00]") {
  const Expectation& e = expectation("malformed");
  INFO(e.why);
  struct Case {
    const char* what;
    std::string request;
    int status;
  };
  const std::vector<Case> cases{
      {"garbage request line", "GARBAGE\r\n\r\n", 400},
      {"binary junk", std::string("\x01\x02\x03\xff junk\r\n\r\n"), 400},
      {"missing Host on HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400},
      {"two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"space before colon", "GET / HTTP/1.1\r\nHost : localhost\r\n\r\n", 400},
      {"bad Content-Length", get("/", "Content-Length: abc\r\n"), 400},
      {"conflicting Content-Lengths", get("/", "Content-Length: 1\r\nContent-Length: 2\r\n"), 400},
      {"Transfer-Encoding with Content-Length",
       request("POST", "/", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n") + "0\r\n\r\n",
       400},
      {"10 KiB request line", get("/" + std::string(10 * 1024, 'a')), 414},
      {"200 header fields", get("/", many_fields(200)), 431},
      {"HTTP/2.0 version", "GET / HTTP/2.0\r\nHost: localhost\r\n\r\n", 505},
  };
  ServerProcess server = start_chapter();
  const size_t before = idle_sockets(server);
  for (const Case& c : cases) {
    INFO(c.what);
    HttpClient client(server.port());
    client.send(c.request);
    HttpResponse r = client.read_response();
    REQUIRE(r.status == c.status);
    CHECK(r.header("Connection") == "close");
    CHECK(client.closed_within(2s));
    client.close();
    // Still alive, still serving.
    REQUIRE(server.alive());
    CHECK(fetch(server.port(), get("/hello.txt")).status == 200);
  }
  require_sockets_back(server, before);  // every refused connection was closed
  require_healthy(server);
}

}  // namespace blackbox
