// lib/static/static_handler.hpp: validators, 304, ranges, directories, locations and the
// open-file cache, against a real temporary tree. Every case runs with the cache off and on.
#include "static/static_handler.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "http/request_parser.hpp"

CATCH_REGISTER_ENUM(kit::http::IfModifiedSince, kit::http::IfModifiedSince::kOff,
                    kit::http::IfModifiedSince::kExact, kit::http::IfModifiedSince::kBefore)

namespace {

namespace fs = std::filesystem;
using kit::http::IfModifiedSince;
using kit::http::Response;
using kit::http::StaticHandler;
using kit::http::StaticLocation;
using kit::http::StaticOptions;

constexpr std::string_view kDate = "Thu, 26 Nov 2026 12:00:00 GMT";
// a.txt and big.bin are given this mtime, so their validators are known constants.
constexpr std::time_t kMtime = 784111777;  // 0x2ebc98a1
constexpr std::string_view kAtMtime = "Sun, 06 Nov 1994 08:49:37 GMT";
constexpr std::string_view kSecondBefore = "Sun, 06 Nov 1994 08:49:36 GMT";
constexpr std::string_view kSecondAfter = "Sun, 06 Nov 1994 08:49:38 GMT";
constexpr std::string_view kSmall = "hello, static world\n";  // a.txt: 20 = 0x14 bytes
constexpr std::string_view kSmallTag = "\"2ebc98a1-14\"";
constexpr size_t kBigSize = 40000;  // big.bin: 0x9c40 bytes, above the cache's 16 KiB
constexpr std::string_view kBigTag = "\"2ebc98a1-9c40\"";

std::string big_content() {
  std::string s(kBigSize, '\0');
  for (size_t i = 0; i < s.size(); ++i)
    s[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return s;
}

// base/root/       index.html a.txt big.bin empty.txt docs/{index,start}.html sub/index.html
//                  empty-dir/ fifo link-in -> a.txt link-out -> <base>/outside/secret
//                  link-up -> ../outside/secret
// base/pictures/   x logo.png       base/icons/kit.ico      base/site2/pub/p.txt
// base/outside/    secret           base/secret
struct Tree {
  fs::path base, root;
  Tree() {
    char name[] = "/tmp/kit-handler-XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    base = name;
    root = base / "root";
    for (const char* d :
         {"root/docs", "root/sub", "root/empty-dir", "pictures", "icons", "site2/pub", "outside"}) {
      fs::create_directories(base / d);
    }
    write("root/index.html", "<h1>home</h1>\n");
    write("root/a.txt", std::string(kSmall));
    write("root/big.bin", big_content());
    write("root/empty.txt", "");
    write("root/docs/index.html", "docs index\n");
    write("root/docs/start.html", "docs start\n");
    write("root/sub/index.html", "sub index\n");
    write("pictures/x", "x\n");
    write("pictures/logo.png", "png\n");
    write("icons/kit.ico", "ico\n");
    write("site2/pub/p.txt", "p\n");
    write("outside/secret", "secret\n");
    write("secret", "secret\n");
    fs::create_symlink("a.txt", root / "link-in");
    fs::create_symlink(base / "outside" / "secret", root / "link-out");
    fs::create_symlink("../outside/secret", root / "link-up");
    REQUIRE(::mkfifo((root / "fifo").c_str(), 0644) == 0);
    for (const char* f : {"root/a.txt", "root/big.bin"}) {
      const timespec times[2] = {{kMtime, 0}, {kMtime, 0}};
      REQUIRE(::utimensat(AT_FDCWD, (base / f).c_str(), times, 0) == 0);
    }
  }
  ~Tree() { fs::remove_all(base); }
  void write(const char* name, const std::string& content) const {
    std::ofstream(base / name, std::ios::binary) << content;
  }
};

StaticLocation location(std::string path, bool exact, const fs::path& dir, bool alias,
                        std::string index = "index.html") {
  StaticLocation l;
  l.path = std::move(path);
  l.exact = exact;
  l.dir = dir.string();
  l.alias = alias;
  l.index = std::move(index);
  return l;
}

// The server's root plus one location of every kind.
StaticHandler make_handler(const Tree& t, bool cache, StaticOptions options = {}) {
  std::vector<StaticLocation> locations;
  locations.push_back(location("/favicon.ico", true, t.base / "icons" / "kit.ico", true));
  locations.push_back(location("/images/", false, t.base / "pictures/", true));
  locations.push_back(location("/images/special", true, t.base / "icons" / "kit.ico", true));
  locations.push_back(location("/img", false, t.base / "pictures", true));
  locations.push_back(location("/pub/", false, t.base / "site2", false));
  locations.push_back(location("/docs/", false, t.root, false, "start.html"));
  if (cache && !options.cache) options.cache = kit::http::OpenFileCacheOptions{};
  return StaticHandler(location("/", false, t.root, false), std::move(locations), options);
}

// The response to "METHOD target" with these extra header lines ("Name: value\r\n"...).
Response ask(const StaticHandler& h, std::string_view target, std::string_view fields = "",
             std::string_view method = "GET") {
  const std::string raw = std::string(method) + " " + std::string(target) +
                          " HTTP/1.1\r\nHost: kit\r\n" + std::string(fields) + "\r\n";
  kit::http::RequestParser parser;
  REQUIRE(parser.parse(raw) == kit::http::ParseStatus::kComplete);
  return h.respond(parser.head(raw), kDate, std::pmr::get_default_resource());
}

// The value of the field `name`, or "(absent)".
std::string field(const Response& r, std::string_view name) {
  const std::string key = "\r\n" + std::string(name) + ": ";
  const size_t at = r.head.find(key);
  if (at == std::string::npos) return "(absent)";
  const size_t begin = at + key.size();
  return std::string(r.head.substr(begin, r.head.find("\r\n", begin) - begin));
}

// The bytes the response's body is: memory, or its file range read back.
std::string body_of(const Response& r) {
  if (!r.file) return std::string(r.memory_body());
  std::string out(r.file->length, '\0');
  const ssize_t n =
      ::pread(r.file->fd(), out.data(), out.size(), static_cast<off_t>(r.file->offset));
  REQUIRE(n == static_cast<ssize_t>(out.size()));
  return out;
}

bool has_no_body(const Response& r) {
  return !r.file && !r.cached_body && r.body.empty();
}

}  // namespace

TEST_CASE("a file is answered with ETag, Last-Modified, Accept-Ranges and its length",
          "[static_handler][ch12]") {
  const bool cache = GENERATE(false, true);
  Tree t;
  const StaticHandler h = make_handler(t, cache);
  struct Row {
    std::string_view target;
    std::string content;
    std::string_view etag;
    std::string_view type;
  };
  const Row rows[] = {
      {"/a.txt", std::string(kSmall), kSmallTag, "text/plain; charset=utf-8"},
      {"/big.bin", big_content(), kBigTag, "application/octet-stream"},
  };
  for (const Row& row : rows) {
    for (const std::string_view method : {"GET", "HEAD"}) {
      INFO(method << " " << row.target << (cache ? " (cache on)" : " (cache off)"));
      const Response r = ask(h, row.target, "", method);
      CHECK(r.status == 200);
      CHECK(r.head.starts_with("HTTP/1.1 200 OK\r\n"));
      CHECK(field(r, "Content-Length") == std::to_string(row.content.size()));
      CHECK(field(r, "Content-Type") == row.type);
      CHECK(field(r, "ETag") == row.etag);
      CHECK(field(r, "Last-Modified") == kAtMtime);
      CHECK(field(r, "Accept-Ranges") == "bytes");
      CHECK(field(r, "Content-Range") == "(absent)");
      if (method == "GET") {
        CHECK(body_of(r) == row.content);
      } else {
        CHECK(has_no_body(r));
      }
    }
  }
  const Response empty = ask(h, "/empty.txt");
  CHECK(empty.status == 200);
  CHECK(field(empty, "Content-Length") == "0");
  CHECK(has_no_body(empty));
}

TEST_CASE("with the cache a small file is answered from memory, a large one from the fd",
          "[static_handler][ch12]") {
  const bool cache = GENERATE(false, true);
  INFO((cache ? "cache on" : "cache off"));
  Tree t;
  const StaticHandler h = make_handler(t, cache);
  const Response small = ask(h, "/a.txt");
  const Response again = ask(h, "/a.txt");
  if (cache) {
    REQUIRE(small.cached_body);
    CHECK(*small.cached_body == kSmall);
    CHECK_FALSE(small.file);
    CHECK(small.body.empty());
    CHECK(again.cached_body == small.cached_body);  // the cache's bytes, not a copy
  } else {
    CHECK_FALSE(small.cached_body);
    REQUIRE(small.file);
    CHECK(small.file->file.valid());  // the response's own fd
    CHECK_FALSE(small.file->cached);
    CHECK(small.file->length == kSmall.size());
  }
  const Response big = ask(h, "/big.bin");
  CHECK_FALSE(big.cached_body);
  REQUIRE(big.file);
  CHECK(big.file->offset == 0);
  CHECK(big.file->length == kBigSize);
  CHECK(static_cast<bool>(big.file->cached) == cache);
  CHECK(big.file->file.valid() == !cache);
}

TEST_CASE("If-None-Match and If-Modified-Since answer 304 without a body or length",
          "[static_handler][ch12]") {
  const bool cache = GENERATE(false, true);
  Tree t;
  const StaticHandler h = make_handler(t, cache);
  const std::string tag(kSmallTag);
  struct Row {
    std::string fields;
    int status;
  };
  const Row rows[] = {
      {"If-None-Match: " + tag + "\r\n", 304},
      {"If-None-Match: W/" + tag + "\r\n", 304},  // weak comparison
      {"If-None-Match: \"2ebc98a1-15\"\r\n", 200},
      {"If-None-Match: *\r\n", 304},
      {"If-None-Match: \"x\", " + tag + "\r\n", 304},
      {"If-None-Match: \"x\"\r\nIf-None-Match: " + tag + "\r\n", 304},
      // If-None-Match decides alone: a matching date does not rescue another tag.
      {"If-None-Match: \"x\"\r\nIf-Modified-Since: " + std::string(kAtMtime) + "\r\n", 200},
      {"If-Modified-Since: " + std::string(kAtMtime) + "\r\n", 304},
  };
  for (const Row& row : rows) {
    for (const std::string_view method : {"GET", "HEAD"}) {
      INFO(method << " with " << row.fields << (cache ? " (cache on)" : " (cache off)"));
      const Response r = ask(h, "/a.txt", row.fields, method);
      CHECK(r.status == row.status);
      if (row.status == 304) {
        CHECK(r.head.starts_with("HTTP/1.1 304 Not Modified\r\n"));
        CHECK(has_no_body(r));
        CHECK(field(r, "Content-Length") == "(absent)");
        CHECK(field(r, "ETag") == kSmallTag);
        CHECK(field(r, "Last-Modified") == kAtMtime);
        CHECK(r.head.ends_with("Connection: keep-alive\r\n\r\n"));
      } else {
        CHECK(field(r, "Content-Length") == "20");
      }
    }
  }
}

TEST_CASE("If-Modified-Since follows if_modified_since exact, before and off",
          "[static_handler][ch12]") {
  const bool cache = GENERATE(false, true);
  Tree t;
  struct Row {
    IfModifiedSince mode;
    std::string_view since;
    int status;
  };
  constexpr Row kRows[] = {
      {IfModifiedSince::kExact, kAtMtime, 304},       {IfModifiedSince::kExact, kSecondBefore, 200},
      {IfModifiedSince::kExact, kSecondAfter, 200},   {IfModifiedSince::kExact, "yesterday", 200},
      {IfModifiedSince::kBefore, kAtMtime, 304},      {IfModifiedSince::kBefore, kSecondAfter, 304},
      {IfModifiedSince::kBefore, kSecondBefore, 200}, {IfModifiedSince::kOff, kAtMtime, 200},
      {IfModifiedSince::kOff, kSecondAfter, 200},
  };
  for (const Row& row : kRows) {
    INFO(Catch::Detail::stringify(row.mode)
         << ", If-Modified-Since: " << row.since << (cache ? " (cache on)" : " (cache off)"));
    StaticOptions options;
    options.if_modified_since = row.mode;
    const StaticHandler h = make_handler(t, cache, options);
    const Response r = ask(h, "/big.bin", "If-Modified-Since: " + std::string(row.since) + "\r\n");
    CHECK(r.status == row.status);
    CHECK(has_no_body(r) == (row.status == 304));
  }
}

TEST_CASE("etag off: no ETag, and If-None-Match matches only the wildcard",
          "[static_handler][ch12]") {
  const bool cache = GENERATE(false, true);
  INFO((cache ? "cache on" : "cache off"));
  Tree t;
  StaticOptions options;
  options.etag = false;
  const StaticHandler h = make_handler(t, cache, options);
  const std::string tag(kSmallTag);
  const Response plain = ask(h, "/a.txt");
  CHECK(plain.status == 200);
  CHECK(field(plain, "ETag") == "(absent)");
  CHECK(field(plain, "Last-Modified") == kAtMtime);

  CHECK(ask(h, "/a.txt", "If-None-Match: " + tag + "\r\n").status == 200);
  CHECK(ask(h, "/a.txt", "If-None-Match: W/" + tag + "\r\n").status == 200);
  const Response any = ask(h, "/a.txt", "If-None-Match: *\r\n");
  CHECK(any.status == 304);
  CHECK(field(any, "ETag") == "(absent)");
  CHECK(ask(h, "/a.txt", "If-Modified-Since: " + std::string(kAtMtime) + "\r\n").status == 304);
  // If-Range: no tag can name the file now, its date still can.
  CHECK(ask(h, "/a.txt", "Range: bytes=0-9\r\nIf-Range: " + tag + "\r\n").status == 200);
  CHECK(
      ask(h, "/a.txt", "Range: bytes=0-9\r\nIf-Range: " + std::string(kAtMtime) + "\r\n").status ==
      206);
}

TEST_CASE("one byte range is 206 with Content-Range and sent from the fd",
          "[static_handler][ch12]") {
  const bool cache = GENERATE(false, true);
  Tree t;
  const StaticHandler h = make_handler(t, cache);
  const std::string small(kSmall);
  const std::string big = big_content();
  struct Row {
    std::string_view target;
    std::string_view range;
    int status;
    std::string_view content_range;  // for 206 and 416
    uint64_t offset = 0;             // for 206
    uint64_t length = 0;
  };
  constexpr Row kRows[] = {
      {"/a.txt", "bytes=0-9", 206, "bytes 0-9/20", 0, 10},
      {"/a.txt", "bytes=-5", 206, "bytes 15-19/20", 15, 5},
      {"/a.txt", "bytes=15-", 206, "bytes 15-19/20", 15, 5},
      {"/a.txt", "bytes=19-19", 206, "bytes 19-19/20", 19, 1},
      {"/a.txt", "bytes=0-1000", 206, "bytes 0-19/20", 0, 20},
      {"/a.txt", "bytes=-100", 206, "bytes 0-19/20", 0, 20},
      {"/a.txt", "bytes=20-", 416, "bytes */20"},
      {"/a.txt", "bytes=-0", 416, "bytes */20"},
      {"/a.txt", "bytes=0-1,5-6", 200, ""},  // several ranges: the whole file
      {"/a.txt", "bytes=5-2", 200, ""},
      {"/a.txt", "items=0-1", 200, ""},
      {"/big.bin", "bytes=1000-1999", 206, "bytes 1000-1999/40000", 1000, 1000},
      {"/big.bin", "bytes=-1", 206, "bytes 39999-39999/40000", 39999, 1},
      {"/big.bin", "bytes=40000-", 416, "bytes */40000"},
      {"/big.bin", "bytes=0-0,-1", 200, ""},
      {"/empty.txt", "bytes=0-", 416, "bytes */0"},
  };
  for (const Row& row : kRows) {
    INFO(row.target << " Range: " << row.range << (cache ? " (cache on)" : " (cache off)"));
    const std::string& whole = row.target == "/a.txt" ? small : big;
    const Response r = ask(h, row.target, "Range: " + std::string(row.range) + "\r\n");
    CHECK(r.status == row.status);
    if (row.status == 206) {
      CHECK(r.head.starts_with("HTTP/1.1 206 Partial Content\r\n"));
      CHECK(field(r, "Content-Range") == row.content_range);
      CHECK(field(r, "Content-Length") == std::to_string(row.length));
      CHECK(field(r, "ETag") != "(absent)");
      CHECK(field(r, "Accept-Ranges") == "bytes");
      CHECK_FALSE(r.cached_body);  // a range of a cached small file is still sent from its fd
      REQUIRE(r.file);
      CHECK(r.file->offset == row.offset);
      CHECK(r.file->length == row.length);
      CHECK(body_of(r) == whole.substr(row.offset, row.length));
    } else if (row.status == 416) {
      CHECK(r.head.starts_with("HTTP/1.1 416 Range Not Satisfiable\r\n"));
      CHECK(field(r, "Content-Range") == row.content_range);
      CHECK(field(r, "Content-Length") == std::to_string(r.body.size()));
      CHECK(field(r, "Connection") == "keep-alive");
      CHECK(r.head.ends_with("\r\n\r\n"));
      CHECK(r.head.find("\r\n\r\n") == r.head.size() - 4);  // one blank line, at the end
      CHECK_FALSE(r.file);
    } else {
      CHECK(field(r, "Content-Range") == "(absent)");
      CHECK(field(r, "Content-Length") == std::to_string(whole.size()));
      CHECK(body_of(r) == whole);
    }
  }
}

TEST_CASE("HEAD ignores Range, If-Range lets it through only for this version",
          "[static_handler][ch12]") {
  const bool cache = GENERATE(false, true);
  Tree t;
  const StaticHandler h = make_handler(t, cache);
  const Response head = ask(h, "/a.txt", "Range: bytes=0-9\r\n", "HEAD");
  CHECK(head.status == 200);
  CHECK(field(head, "Content-Length") == "20");
  CHECK(field(head, "Content-Range") == "(absent)");
  CHECK(has_no_body(head));

  struct Row {
    std::string if_range;
    int status;
  };
  const Row rows[] = {
      {std::string(kSmallTag), 206},        {"\"2ebc98a1-15\"", 200},
      {"W/" + std::string(kSmallTag), 200},  // If-Range compares strongly
      {std::string(kAtMtime), 206},         {std::string(kSecondAfter), 200},
  };
  for (const Row& row : rows) {
    INFO("If-Range: " << row.if_range << (cache ? " (cache on)" : " (cache off)"));
    const Response r = ask(h, "/a.txt", "Range: bytes=0-9\r\nIf-Range: " + row.if_range + "\r\n");
    CHECK(r.status == row.status);
    CHECK(body_of(r) == kSmall.substr(0, row.status == 206 ? 10 : kSmall.size()));
  }
}

TEST_CASE("directories: 301 with the slash, the index, 403 without one", "[static_handler][ch12]") {
  const bool cache = GENERATE(false, true);
  Tree t;
  const StaticHandler h = make_handler(t, cache);
  struct Row {
    std::string_view method, target;
    int status;
    std::string_view location_or_body;  // Location for 301, the body for 200
  };
  constexpr Row kRows[] = {
      {"GET", "/sub", 301, "/sub/"},
      {"GET", "/sub?x=1&y", 301, "/sub/?x=1&y"},
      {"GET", "/empty-dir", 301, "/empty-dir/"},
      {"GET", "/", 200, "<h1>home</h1>\n"},
      {"GET", "/sub/", 200, "sub index\n"},
      {"GET", "/sub/?x=1", 200, "sub index\n"},
      {"GET", "/docs/", 200, "docs start\n"},  // the location's own index
      {"GET", "/empty-dir/", 403, ""},
      {"HEAD", "/empty-dir/", 403, ""},
      {"GET", "/images/", 403, ""},  // an alias directory without index.html
  };
  for (const Row& row : kRows) {
    INFO(row.method << " " << row.target << (cache ? " (cache on)" : " (cache off)"));
    const Response r = ask(h, row.target, "", row.method);
    CHECK(r.status == row.status);
    if (row.status == 301) CHECK(field(r, "Location") == row.location_or_body);
    if (row.status == 200) CHECK(body_of(r) == row.location_or_body);
    if (row.method == "HEAD") CHECK(has_no_body(r));
  }
  const Response head = ask(h, "/sub", "", "HEAD");
  CHECK(head.status == 301);
  CHECK(field(head, "Location") == "/sub/");
  CHECK(has_no_body(head));
}

TEST_CASE("missing files, escapes, symlinks out, FIFOs and other methods",
          "[static_handler][ch12]") {
  const bool cache = GENERATE(false, true);
  Tree t;
  const StaticHandler h = make_handler(t, cache);
  struct Row {
    std::string_view method, target;
    int status;
  };
  constexpr Row kRows[] = {
      {"GET", "/nope", 404},
      {"HEAD", "/nope", 404},
      {"GET", "/a.txt/", 404},
      {"GET", "/a.txt/x", 404},
      {"GET", "/../a.txt", 400},  // above the root: refused by the normaliser
      {"GET", "/%2e%2e/outside/secret", 400},
      {"GET", "/docs/../a.txt", 200},  // stays inside
      {"GET", "/link-in", 200},
      {"GET", "/link-out", 403},
      {"GET", "/link-up", 403},
      {"GET", "/img../secret", 403},  // "/img" alias without a slash: "../secret" beneath it
      {"GET", "/fifo", 403},
      {"POST", "/a.txt", 405},
      {"DELETE", "/a.txt", 405},
  };
  for (const Row& row : kRows) {
    // Twice: a failure is not cached into something else.
    for (int i = 0; i < 2; ++i) {
      INFO(row.method << " " << row.target << " #" << i << (cache ? " (cache on)" : ""));
      const Response r = ask(h, row.target, "", row.method);
      CHECK(r.status == row.status);
      if (row.status == 405) CHECK(field(r, "Allow") == "GET, HEAD");
      if (row.status >= 400) CHECK(field(r, "ETag") == "(absent)");
      if (row.method == "HEAD") CHECK(has_no_body(r));
    }
  }
}

TEST_CASE("locations: exact alias to a file, alias directories, their own root",
          "[static_handler][ch12]") {
  const bool cache = GENERATE(false, true);
  Tree t;
  const StaticHandler h = make_handler(t, cache);
  struct Row {
    std::string_view target;
    std::string_view body;
    std::string_view type;
  };
  constexpr Row kRows[] = {
      {"/favicon.ico", "ico\n", "image/x-icon"},
      {"/images/special", "ico\n", "image/x-icon"},  // exact beats the prefix /images/
      {"/images/logo.png", "png\n", "image/png"},
      {"/images/x", "x\n", "application/octet-stream"},
      {"/img/logo.png", "png\n", "image/png"},
      {"/imgx", "x\n", "application/octet-stream"},
      {"/pub/p.txt", "p\n", "text/plain; charset=utf-8"},  // root site2 + "/pub/p.txt"
      {"/docs/index.html", "docs index\n", "text/html; charset=utf-8"},
      {"/a.txt", kSmall, "text/plain; charset=utf-8"},  // no location: the server's root
  };
  for (const Row& row : kRows) {
    INFO(row.target << (cache ? " (cache on)" : " (cache off)"));
    const Response r = ask(h, row.target);
    CHECK(r.status == 200);
    CHECK(body_of(r) == row.body);
    CHECK(field(r, "Content-Type") == row.type);
  }
  CHECK(ask(h, "/logo.png").status == 404);  // pictures/ is not beneath the root
  CHECK(ask(h, "/p.txt").status == 404);     // nor is site2/
  CHECK(ask(h, "/pub/../p.txt").status == 404);
}

TEST_CASE("Connection: close is carried into every kind of answer", "[static_handler][ch12]") {
  const bool cache = GENERATE(false, true);
  Tree t;
  const StaticHandler h = make_handler(t, cache);
  const std::string close = "Connection: close\r\n";
  const std::string tag(kSmallTag);
  for (const Response& r :
       {ask(h, "/a.txt", close), ask(h, "/a.txt", close + "If-None-Match: " + tag + "\r\n"),
        ask(h, "/a.txt", close + "Range: bytes=0-1\r\n"),
        ask(h, "/a.txt", close + "Range: bytes=99-\r\n"), ask(h, "/sub", close),
        ask(h, "/nope", close)}) {
    INFO(r.head);
    CHECK_FALSE(r.keep_alive);
    CHECK(field(r, "Connection") == "close");
    CHECK(r.head.ends_with("\r\n\r\n"));
  }
}

TEST_CASE("the cache answers each version with its own validators and bytes",
          "[static_handler][ch12]") {
  Tree t;
  struct Row {
    const char* what;
    int64_t valid;
    std::string_view length, etag_end, body;  // etag_end: "-" size-hex DQUOTE
  };
  constexpr Row kRows[] = {
      {"within valid: the cached version, whole", 3'600'000, "20", "-14\"", kSmall},
      {"valid 0: checked on every request", 0, "8", "-8\"", "changed\n"},
  };
  for (const Row& row : kRows) {
    INFO(row.what);
    StaticOptions options;
    options.cache = kit::http::OpenFileCacheOptions{1000, 20'000, row.valid, 16384};
    const StaticHandler h = make_handler(t, true, options);
    t.write("root/a.txt", std::string(kSmall));
    const timespec times[2] = {{kMtime, 0}, {kMtime, 0}};
    REQUIRE(::utimensat(AT_FDCWD, (t.root / "a.txt").c_str(), times, 0) == 0);
    REQUIRE(ask(h, "/a.txt").status == 200);
    t.write("root/a.txt", "changed\n");  // the same inode, another size
    const Response r = ask(h, "/a.txt");
    CHECK(field(r, "Content-Length") == row.length);
    CHECK(field(r, "ETag").ends_with(row.etag_end));  // never one version's tag on another
    CHECK(body_of(r) == row.body);
  }
}
