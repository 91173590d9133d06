// Chapter 12+: the complete static server — validators and 304, one Range (206/416), HEAD,
// locations with root and alias from nginx.conf, sendfile on and off sending the same bytes,
// and files changed under the server: a file truncated while being sent closes the connection
// without sending more than Content-Length promised (the worker lives on); a removed file is
// finished from the open descriptor and is 404 once the open-file cache looks again; a
// rewritten file is served new within open_file_cache_valid.
// Tagged [static]: registered for chapters 12 and later (tests/blackbox/CMakeLists.txt).
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "http_client.hpp"
#include "master_helpers.hpp"
#include "pattern_file.hpp"
#include "suite_config.hpp"

namespace blackbox {

using namespace std::chrono_literals;

TEST_CASE("ETag and Last-Modified, 304 on a match, then the connection serves on",
          "[static][ch12]") {
  ServerProcess server = start_chapter();
  HttpClient client(server.port());
  client.send(get("/index.html"));
  const HttpResponse full = client.read_response();
  REQUIRE(full.status == 200);
  const auto etag = full.header("ETag");
  const auto modified = full.header("Last-Modified");
  REQUIRE(etag);
  REQUIRE(modified);
  CHECK(full.header("Accept-Ranges") == "bytes");

  const std::string conditionals[] = {"If-None-Match: " + *etag + "\r\n",
                                      "If-None-Match: \"x\", W/" + *etag + "\r\n",
                                      "If-Modified-Since: " + *modified + "\r\n"};
  for (const std::string& cond : conditionals) {
    INFO(cond);
    client.send(get("/index.html", cond));
    const HttpResponse r = client.read_response(/*to_head=*/true);  // a 304 has no body
    CHECK(r.status == 304);
    CHECK(r.header("ETag") == etag);
    CHECK_FALSE(r.header("Content-Length"));
  }
  client.send(get("/index.html", "If-None-Match: \"other\"\r\n"));
  const HttpResponse changed = client.read_response();
  CHECK(changed.status == 200);
  CHECK(changed.body == full.body);
  require_healthy(server);
}

TEST_CASE("One Range gives 206 with the right bytes, beyond the end 416, HEAD no body",
          "[static][ch12]") {
  ServerProcess server = start_chapter();
  const std::string file = pattern_bytes(1024 * 1024);
  HttpClient client(server.port());
  struct Row {
    const char* range;
    int status;
    size_t first, length;
    const char* content_range;
  };
  const Row rows[] = {
      {"bytes=1000-1999", 206, 1000, 1000, "bytes 1000-1999/1048576"},
      {"bytes=-64", 206, 1048576 - 64, 64, "bytes 1048512-1048575/1048576"},
      {"bytes=1048000-", 206, 1048000, 576, "bytes 1048000-1048575/1048576"},
      {"bytes=0-0", 206, 0, 1, "bytes 0-0/1048576"},
      {"bytes=1048576-", 416, 0, 0, "bytes */1048576"},
      {"bytes=0-1,5-6", 200, 0, 1048576, nullptr},  // several ranges: the whole file
  };
  for (const Row& row : rows) {
    INFO(row.range);
    client.send(get("/1m.bin", std::string("Range: ") + row.range + "\r\n"));
    const HttpResponse r = client.read_response();
    REQUIRE(r.status == row.status);
    if (row.content_range) CHECK(r.header("Content-Range") == row.content_range);
    if (row.status != 416) {
      CHECK(r.body.size() == row.length);
      CHECK(first_difference(r.body, file.substr(row.first, row.length)) == "identical");
    }
  }
  client.send(request("HEAD", "/1m.bin", "Range: bytes=0-9\r\n"));
  const HttpResponse head = client.read_response(/*to_head=*/true);
  CHECK(head.status == 200);  // Range applies to GET only
  CHECK(head.header("Content-Length") == "1048576");
  require_healthy(server);
}

TEST_CASE("Locations from nginx.conf: exact alias to a file, prefix alias, own root and index",
          "[static][ch12]") {
  TempDir tmp;
  std::filesystem::create_directories(tmp.dir / "site" / "docs");
  std::filesystem::create_directories(tmp.dir / "images");
  std::filesystem::create_directories(tmp.dir / "other" / "r");
  tmp.write("site/index.html", "site index\n");
  tmp.write("site/docs/start.html", "docs start\n");
  tmp.write("images/a.txt", "image a\n");
  tmp.write("icon.ico", "icon\n");
  tmp.write("other/r/b.txt", "other b\n");
  tmp.write("secret.txt", "secret\n");
  const uint16_t port = free_port();
  const std::string d = tmp.dir.string();
  const std::string conf =
      "worker_processes 1;\nevents { }\nhttp {\n  server {\n    listen 127.0.0.1:" +
      std::to_string(port) + ";\n    root " + d + "/site;\n" +
      "    location = /favicon.ico { alias " + d + "/icon.ico; }\n" +
      "    location /img/ { alias " + d + "/images/; }\n" + "    location /img { alias " + d +
      "/images; }\n" + "    location /r/ { root " + d + "/other; }\n" +
      "    location /docs/ { index start.html; }\n  }\n}\n";
  ServerProcess server = start_chapter({"-c", tmp.write("kit.conf", conf)});
  struct Row {
    const char* target;
    int status;
    const char* body;
  };
  const Row rows[] = {
      {"/", 200, "site index\n"},
      {"/favicon.ico", 200, "icon\n"},
      {"/favicon.ico/x", 404, nullptr},  // exact: only the path itself
      {"/img/a.txt", 200, "image a\n"},
      {"/img/../secret.txt", 404, nullptr},  // normalised first: /secret.txt under the root
      {"/imga.txt", 200, "image a\n"},       // beneath the alias directory, never beside it
      {"/img/%2e%2e/secret.txt", 404, nullptr},
      {"/r/b.txt", 200, "other b\n"},
      {"/docs/", 200, "docs start\n"},
      {"/docs", 301, nullptr},
  };
  for (const Row& row : rows) {
    INFO(row.target);
    const HttpResponse r = fetch(port, get(row.target));
    CHECK(r.status == row.status);
    if (row.body) CHECK(r.body == row.body);
  }
  require_healthy(server);
}

TEST_CASE("sendfile on and off send the same bytes, and -t refuses what is not served",
          "[static][ch12]") {
  const std::string file = pattern_bytes(1024 * 1024);
  for (const char* sendfile : {"on", "off"}) {
    INFO("sendfile " << sendfile);
    ServerProcess server = start_chapter({"--sendfile", sendfile});
    HttpClient client(server.port(), {.timeout = 10'000ms, .receive_buffer = 4096});
    client.send(get("/1m.bin") + get("/index.html") + get("/1m.bin"));
    for (const HttpResponse& r : client.read_responses(3)) {
      REQUIRE(r.status == 200);
      if (r.body.size() == file.size()) CHECK(first_difference(r.body, file) == "identical");
    }
    require_healthy(server);
  }
  TempDir tmp;
  const std::string root = chapter_under_test().root.string();
  const auto [regex_code, regex_out] = run_chapter(
      "-t -c " + tmp.write("regex.conf", "events { }\nhttp {\n  server {\n    root " + root +
                                             ";\n    location ~ \\.php$ { }\n  }\n}\n"));
  CHECK(regex_code == 1);
  CHECK(regex_out.find("regular-expression") != std::string::npos);
  CHECK(regex_out.find("regex.conf:5") != std::string::npos);
  const auto [ofc_code, ofc_out] = run_chapter(
      "-t -c " +
      tmp.write("ofc.conf", "events { }\nhttp {\n  open_file_cache max=0;\n  server { root " +
                                root + "; }\n}\n"));
  CHECK(ofc_code == 1);
  CHECK(ofc_out.find("ofc.conf:3") != std::string::npos);
}

namespace {

// A root holding one big file of the pattern, for the tests that change it under the server.
struct BigFileRoot {
  TempDir tmp;
  std::string path;
  std::string bytes;
  explicit BigFileRoot(size_t size) : bytes(pattern_bytes(size)) {
    std::filesystem::create_directories(tmp.dir / "www");
    path = tmp.write("www/big.bin", bytes);
    tmp.write("www/index.html", "index\n");
  }
  // The chapter serving this root with `args` added.
  [[nodiscard]] ServerProcess start(const std::vector<std::string>& args = {}) const {
    ServerSpec spec{.name = chapter_under_test().name,
                    .executable = chapter_under_test().server,
                    .args = {"--port", "0", "--root", (tmp.dir / "www").string()}};
    spec.args.insert(spec.args.end(), args.begin(), args.end());
    return ServerProcess(spec);
  }
};

// Waits until the response's first bytes can be read, without reading them: by then the server
// has opened the file (its head goes out with the start of the body). Sleeping instead raced a
// busy machine, where the file could change before the server had even opened it.
void wait_for_response_start(int fd) {
  pollfd readable{.fd = fd, .events = POLLIN, .revents = 0};
  REQUIRE(::poll(&readable, 1, 10'000) == 1);
}

size_t content_length(const std::string& head) {
  const size_t at = head.find("Content-Length: ");
  REQUIRE(at != std::string::npos);
  return std::stoul(head.substr(at + 16));
}

}  // namespace

TEST_CASE(
    "A file truncated while being sent: the connection closes, never more bytes than "
    "Content-Length, and the worker serves on",
    "[static][ch12]") {
  const char* sendfile = GENERATE("on", "off");
  INFO("sendfile " << sendfile);
  BigFileRoot site(32 * 1024 * 1024);
  ServerProcess server = site.start({"--sendfile", sendfile});
  HttpClient client(server.port(), {.timeout = 10'000ms, .receive_buffer = 4096});
  client.send(get("/big.bin"));
  // The server opens the file, fills the socket buffers and waits for the client, which reads
  // nothing yet.
  wait_for_response_start(client.fd());
  std::this_thread::sleep_for(100ms);
  REQUIRE(::truncate(site.path.c_str(), 1024 * 1024) == 0);
  const timeval limit{10, 0};  // a server that neither sends nor closes fails, not hangs
  ::setsockopt(client.fd(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  std::string received;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::recv(client.fd(), buf, sizeof buf, 0);
    REQUIRE_FALSE((n < 0 && errno == EAGAIN));
    if (n <= 0) break;  // FIN (or RST) after the bytes that existed
    received.append(buf, static_cast<size_t>(n));
  }
  const size_t head_end = received.find("\r\n\r\n");
  REQUIRE(head_end != std::string::npos);
  const size_t promised = content_length(received.substr(0, head_end));
  const std::string body = received.substr(head_end + 4);
  CHECK(promised == site.bytes.size());
  CHECK(body.size() < promised);  // cut short, and the connection closed
  // The bytes up to the new end are the file's. Beyond it, sendfile off sent copies made before
  // the truncation; with sendfile on, bytes already queued in the socket are the page cache's
  // pages themselves, which the kernel may reuse once the file lets go of them (the known
  // caveat of zero-copy: nginx alike), so only the length is promised there.
  const size_t kept = std::string_view(sendfile) == "off"
                          ? body.size()
                          : std::min<size_t>(body.size(), 1024 * 1024);
  CHECK(first_difference(body.substr(0, kept), site.bytes.substr(0, kept)) == "identical");
  const HttpResponse next = fetch(server.port(), get("/index.html"));
  CHECK(next.status == 200);
  CHECK(server.stderr_text().find("truncated") != std::string::npos);
  require_healthy(server);
}

TEST_CASE(
    "A removed file is sent whole from its open descriptor, then 404, and a rewritten "
    "one is served new within open_file_cache_valid",
    "[static][ch12]") {
  BigFileRoot site(8 * 1024 * 1024);
  ServerProcess server = site.start();
  HttpClient client(server.port(), {.timeout = 10'000ms, .receive_buffer = 4096});
  client.send(get("/big.bin"));
  wait_for_response_start(client.fd());
  REQUIRE(::unlink(site.path.c_str()) == 0);
  const HttpResponse whole = client.read_response();
  REQUIRE(whole.status == 200);
  CHECK(first_difference(whole.body, site.bytes) == "identical");

  // The cache looks again after open_file_cache_valid (1 s for the flags): 404 within 3 s.
  const auto until = [&](const char* target, auto done) {
    const auto deadline = std::chrono::steady_clock::now() + 3s;
    HttpResponse r;
    do {
      r = fetch(server.port(), get(target));
      if (done(r)) break;
      std::this_thread::sleep_for(100ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return r;
  };
  CHECK(until("/big.bin", [](const HttpResponse& r) { return r.status == 404; }).status == 404);

  const HttpResponse before = fetch(server.port(), get("/index.html"));
  REQUIRE(before.body == "index\n");
  site.tmp.write("www/index.html", "a longer, rewritten index\n");
  const HttpResponse after =
      until("/index.html", [](const HttpResponse& r) { return r.body != "index\n"; });
  CHECK(after.body == "a longer, rewritten index\n");
  CHECK(after.header("Content-Length") == "26");
  CHECK(after.header("ETag") != before.header("ETag"));
  require_healthy(server);
}

}  // namespace blackbox
