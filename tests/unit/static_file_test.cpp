// lib/static/static_file.hpp: the static handler against a real temporary document root.
#include "static/static_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "http/http_date.hpp"

namespace {

namespace fs = std::filesystem;
using kit::http::Method;
using kit::http::RequestHead;
using kit::http::Response;
using kit::http::StaticSite;

constexpr std::string_view kDate = "Thu, 26 Nov 2026 12:00:00 GMT";

// root/: index.html, a.txt, style.css, docs/{index.html}, empty-dir/, link-in -> a.txt,
// link-out -> <outside>/secret, fifo; outside/: secret.
struct Tree {
  fs::path base, root;
  Tree() {
    char name[] = "/tmp/kit-static-XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    base = name;
    root = base / "root";
    fs::create_directories(root / "docs");
    fs::create_directories(root / "empty-dir");
    fs::create_directories(base / "outside");
    std::ofstream(root / "index.html") << "<h1>home</h1>\n";
    std::ofstream(root / "a.txt") << "hello\n";
    std::ofstream(root / "style.css") << "p{}\n";
    std::ofstream(root / "docs" / "index.html") << "docs\n";
    std::ofstream(base / "outside" / "secret") << "secret\n";
    fs::create_symlink("a.txt", root / "link-in");
    fs::create_symlink(base / "outside" / "secret", root / "link-out");
    fs::create_symlink("../outside/secret", root / "link-up");
    REQUIRE(::mkfifo((root / "fifo").c_str(), 0644) == 0);
  }
  ~Tree() { fs::remove_all(base); }
};

RequestHead request(std::string_view target, Method method = Method::kGet) {
  RequestHead h;
  h.method = method;
  h.method_text = method == Method::kHead ? "HEAD" : method == Method::kGet ? "GET" : "POST";
  h.target = target;
  return h;
}

bool has_field(const Response& r, std::string_view line) {
  return r.head.find("\r\n" + std::string(line) + "\r\n") != std::string::npos;
}

}  // namespace

TEST_CASE("a file is answered with its length, type and modification time", "[ch00][static_file]") {
  Tree t;
  StaticSite site(t.root);
  const Response r = site.respond(request("/a.txt"), kDate);
  CHECK(r.status == 200);
  CHECK(r.head.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(has_field(r, "Content-Type: text/plain; charset=utf-8"));
  CHECK(has_field(r, "Content-Length: 6"));
  CHECK(has_field(r, "Date: " + std::string(kDate)));
  CHECK(has_field(r, "Server: c10k-kit"));
  struct stat st {};
  REQUIRE(::stat((t.root / "a.txt").c_str(), &st) == 0);
  CHECK(has_field(r, "Last-Modified: " + kit::http::format_http_date(st.st_mtim.tv_sec)));
  REQUIRE(r.file.has_value());
  CHECK(r.file->length == 6);
  CHECK(r.head.ends_with("Connection: keep-alive\r\n\r\n"));
}

TEST_CASE("HEAD has the GET headers and no body", "[ch00][static_file]") {
  Tree t;
  StaticSite site(t.root);
  const Response r = site.respond(request("/style.css", Method::kHead), kDate);
  CHECK(r.status == 200);
  CHECK(has_field(r, "Content-Type: text/css; charset=utf-8"));
  CHECK(has_field(r, "Content-Length: 4"));
  CHECK_FALSE(r.file.has_value());
  CHECK(r.body.empty());
}

TEST_CASE("directories: index, 301 with the query kept, 403 without index", "[ch00][static_file]") {
  Tree t;
  StaticSite site(t.root);
  CHECK(site.respond(request("/"), kDate).file->length == 14);
  const Response docs = site.respond(request("/docs/"), kDate);
  CHECK(docs.status == 200);
  CHECK(has_field(docs, "Content-Type: text/html; charset=utf-8"));
  const Response moved = site.respond(request("/docs?x=1"), kDate);
  CHECK(moved.status == 301);
  CHECK(has_field(moved, "Location: /docs/?x=1"));
  CHECK(site.respond(request("/empty-dir/"), kDate).status == 403);
  CHECK(site.respond(request("http://h/docs"), kDate).status == 301);
}

TEST_CASE("missing is 404, other methods 405 with Allow", "[ch00][static_file]") {
  Tree t;
  StaticSite site(t.root);
  CHECK(site.respond(request("/nope"), kDate).status == 404);
  CHECK(site.respond(request("/a.txt/"), kDate).status == 404);
  const Response post = site.respond(request("/a.txt", Method::kPost), kDate);
  CHECK(post.status == 405);
  CHECK(has_field(post, "Allow: GET, HEAD"));
  CHECK(post.body.find("405 Method Not Allowed") != std::string::npos);
}

TEST_CASE("nothing outside the root is served, not even through a symlink", "[ch00][static_file]") {
  Tree t;
  StaticSite site(t.root);
  CHECK(site.respond(request("/link-in"), kDate).status == 200);  // stays inside: fine
  CHECK(site.respond(request("/link-out"), kDate).status == 403);
  CHECK(site.respond(request("/link-up"), kDate).status == 403);
  CHECK(site.respond(request("/../outside/secret"), kDate).status == 400);
  CHECK(site.respond(request("/%2e%2e/outside/secret"), kDate).status == 400);
  CHECK(site.respond(request("/a.txt%00.html"), kDate).status == 400);
}

TEST_CASE("a FIFO in the root is refused without blocking", "[ch00][static_file]") {
  Tree t;
  StaticSite site(t.root);
  CHECK(site.respond(request("/fifo"), kDate).status == 403);
}

TEST_CASE("keep-alive of the request is carried into the response", "[ch00][static_file]") {
  Tree t;
  StaticSite site(t.root);
  RequestHead h = request("/a.txt");
  h.keep_alive = false;
  const Response r = site.respond(h, kDate);
  CHECK_FALSE(r.keep_alive);
  CHECK(r.head.ends_with("Connection: close\r\n\r\n"));
}

TEST_CASE("error pages are small HTML with their length", "[ch00][static_file]") {
  const Response r = kit::http::error_response(404, false, kDate);
  CHECK(r.head.starts_with("HTTP/1.1 404 Not Found\r\n"));
  CHECK(has_field(r, "Content-Length: " + std::to_string(r.body.size())));
  CHECK(r.body.find("<title>404 Not Found</title>") != std::string::npos);
  const Response head_only = kit::http::error_response(404, false, kDate, true);
  CHECK(head_only.body.empty());
  CHECK(has_field(head_only, "Content-Length: " + std::to_string(r.body.size())));
}

TEST_CASE("a missing root is a clear error", "[ch00][static_file]") {
  CHECK_THROWS_WITH(StaticSite("/nonexistent/kit-root"), Catch::Contains("No such file"));
}
