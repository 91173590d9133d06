// lib/static/uri_path.hpp: the property that matters is that no output ever climbs above "/".
#include "static/uri_path.hpp"

#include <catch2/catch.hpp>

using kit::http::normalize_target;

namespace {

std::string path_of(std::string_view target) {
  const auto n = normalize_target(target);
  REQUIRE(n.status == 0);
  return std::string(n.path);
}

int status_of(std::string_view target) {
  return normalize_target(target).status;
}

}  // namespace

TEST_CASE("plain paths pass through, the query is dropped", "[ch00][uri_path]") {
  CHECK(path_of("/") == "/");
  CHECK(path_of("/index.html") == "/index.html");
  CHECK(path_of("/docs/a.txt?x=/../../etc") == "/docs/a.txt");
  CHECK(path_of("/a#frag") == "/a");
}

TEST_CASE("percent-decoding happens before dot-segment removal", "[ch00][uri_path]") {
  CHECK(path_of("/a%20b.txt") == "/a b.txt");
  CHECK(path_of("/docs/%2e%2e/hello.txt") == "/hello.txt");
  CHECK(path_of("/docs%2F..%2Fhello.txt") == "/hello.txt");
  CHECK(status_of("/%2e%2e/etc/passwd") == 400);
  CHECK(status_of("/..%2f..%2fetc/passwd") == 400);
}

TEST_CASE("dot segments and repeated slashes are removed", "[ch00][uri_path]") {
  CHECK(path_of("/a/./b") == "/a/b");
  CHECK(path_of("/a/b/../c") == "/a/c");
  CHECK(path_of("//a///b") == "/a/b");
  CHECK(path_of("/a/..") == "/");
  CHECK(path_of("/a/b/..") == "/a/");
  CHECK(path_of("/a/b/.") == "/a/b/");
}

TEST_CASE("climbing above the root, NUL, controls and bad escapes are 400", "[ch00][uri_path]") {
  CHECK(status_of("/..") == 400);
  CHECK(status_of("/../etc/passwd") == 400);
  CHECK(status_of("/a/../../b") == 400);
  CHECK(status_of("/a%00.html") == 400);
  CHECK(status_of("/a%0d%0aSet-Cookie:x") == 400);
  CHECK(status_of("/a%") == 400);
  CHECK(status_of("/a%4") == 400);
  CHECK(status_of("/a%zz") == 400);
  CHECK(status_of("a/b") == 400);
  CHECK(status_of("*") == 400);
  CHECK(status_of("") == 400);
}

TEST_CASE("trailing slash is reported", "[ch00][uri_path]") {
  CHECK(normalize_target("/docs/").trailing_slash);
  CHECK(normalize_target("/").trailing_slash);
  CHECK(normalize_target("/docs/x/..").trailing_slash);
  CHECK_FALSE(normalize_target("/docs").trailing_slash);
  CHECK_FALSE(normalize_target("/docs?a/").trailing_slash);
}

TEST_CASE("absolute-form keeps only the path", "[ch00][uri_path]") {
  CHECK(path_of("http://example.org/a/b?q") == "/a/b");
  CHECK(path_of("HTTP://example.org:8080") == "/");
  CHECK(path_of("https://h?x") == "/");
  CHECK(status_of("http://h/../x") == 400);
}

TEST_CASE("no generated target escapes the root", "[ch00][uri_path]") {
  // Every combination of a few dangerous pieces, four deep: the result is either 400 or a
  // path with no ".." segment that starts with "/".
  const std::vector<std::string> pieces = {"/", "..", ".", "%2e", "%2f", "a", "%2E%2E", "//"};
  std::vector<std::string> targets = {"/"};
  for (int depth = 0; depth < 4; ++depth) {
    std::vector<std::string> next;
    for (const auto& t : targets) {
      for (const auto& p : pieces)
        next.push_back(t + p);
    }
    targets.insert(targets.end(), next.begin(), next.end());
  }
  for (const auto& t : targets) {
    const auto n = normalize_target(t);
    if (n.status != 0) continue;
    INFO(t << " -> " << n.path);
    CHECK(n.path.front() == '/');
    CHECK(("/" + n.path + "/").find("/../") == std::string::npos);
    CHECK(("/" + n.path + "/").find("/./") == std::string::npos);
  }
}
