// What a single well-formed request gets back: the status, the headers every response carries
// (Server, Date, Content-Length, Connection) and the exact bytes of the file.
#include <catch2/catch.hpp>
#include <regex>

#include "expectations.hpp"
#include "http_client.hpp"
#include "suite_config.hpp"

namespace blackbox {
namespace {

// IMF-fixdate (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
bool is_http_date(const std::string& s) {
  static const std::regex imf(R"([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)");
  return std::regex_match(s, imf);
}

void require_common_headers(const HttpResponse& r) {
  CHECK(r.header("Server") == "c10k-kit");
  REQUIRE(r.header("Date"));
  CHECK(is_http_date(*r.header("Date")));
  CHECK(r.header("Content-Length"));
  CHECK(r.header("Connection"));
}

}  // namespace

TEST_CASE("GET / answers 200 with index.html and the common headers", "[get-index][ch00]") {
  const Expectation& e = expectation("get-index");
  INFO(e.why);
  ServerProcess server = start_chapter();
  HttpResponse r = fetch(server.port(), get("/"));
  REQUIRE(r.status == 200);
  require_common_headers(r);
  CHECK(r.header("Content-Length") == "612");
  REQUIRE(r.header("Content-Type"));
  CHECK(r.header("Content-Type")->rfind("text/html", 0) == 0);
  CHECK(r.header("Connection") == "keep-alive");
  CHECK(r.body.size() == 612);
  CHECK(r.body == file_contents("index.html"));
  require_healthy(server);
}

TEST_CASE("HEAD sends the GET headers and no body", "[head][ch00]") {
  const Expectation& e = expectation("head");
  INFO(e.why);
  ServerProcess server = start_chapter();
  HttpClient client(server.port());
  // HEAD then GET in one write: if the server sent a body after the HEAD response, the second
  // response would start inside it and fail to parse.
  client.send(request("HEAD", "/") + get("/hello.txt"));
  HttpResponse head = client.read_response(/*to_head=*/true);
  REQUIRE(head.status == 200);
  require_common_headers(head);
  CHECK(head.header("Content-Length") == "612");
  CHECK(head.body.empty());
  HttpResponse next = client.read_response();
  REQUIRE(next.status == 200);
  CHECK(next.body == file_contents("hello.txt"));
  require_healthy(server);
}

TEST_CASE("Error statuses: 404 403 301 405 on a connection that stays usable",
          "[error-statuses][ch00]") {
  const Expectation& e = expectation("error-statuses");
  INFO(e.why);
  struct Case {
    std::string request;
    int status;
    const char* header;  // a header the response must carry ("" for none)
    const char* value;   // its value, or its required suffix for Location
  };
  const std::vector<Case> cases{
      {get("/no-such-file.html"), 404, "", ""},
      {get("/empty-dir/"), 403, "", ""},
      {get("/docs"), 301, "Location", "/docs/"},
      {request("DELETE", "/"), 405, "Allow", "GET, HEAD"},
      {request("PUT", "/hello.txt", "Content-Length: 0\r\n"), 405, "Allow", "GET, HEAD"},
  };
  ServerProcess server = start_chapter();
  HttpClient client(server.port());
  for (const Case& c : cases) {
    INFO(c.request);
    client.send(c.request);
    HttpResponse r = client.read_response();
    REQUIRE(r.status == c.status);
    require_common_headers(r);
    CHECK(r.header("Content-Type").value_or("").rfind("text/html", 0) == 0);
    CHECK(r.body.find(std::to_string(c.status)) != std::string::npos);
    if (*c.header != '\0') {
      REQUIRE(r.header(c.header));
      const std::string v = *r.header(c.header);
      const std::string want = c.value;
      CHECK(v.size() >= want.size());
      CHECK(v.compare(v.size() - std::min(v.size(), want.size()), want.size(), want) == 0);
    }
    // An error about the resource, not the message: the connection stays open.
    REQUIRE_FALSE(r.closed);
  }
  client.send(get("/"));
  CHECK(client.read_response().status == 200);
  require_healthy(server);
}

TEST_CASE("POST with a small body is 405 and the connection stays usable", "[post-body][ch00]") {
  const Expectation& e = expectation("post-body");
  INFO(e.why);
  ServerProcess server = start_chapter();
  HttpClient client(server.port());
  client.send(request("POST", "/", "Content-Length: 11\r\nContent-Type: text/plain\r\n") +
              "hello=world");
  HttpResponse r = client.read_response();
  REQUIRE(r.status == 405);
  CHECK(r.header("Allow") == "GET, HEAD");
  REQUIRE_FALSE(r.closed);
  // The body was skipped, not parsed as the next request.
  client.send(get("/hello.txt"));
  HttpResponse next = client.read_response();
  REQUIRE(next.status == 200);
  CHECK(next.body == file_contents("hello.txt"));
  require_healthy(server);
}

}  // namespace blackbox
