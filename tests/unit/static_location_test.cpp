// lib/static/static_location.hpp: which location a path picks (exact, longest prefix, none)
// and the path it maps to beneath the location's directory (root appends, alias replaces).
#include "static/static_location.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "static/open_beneath.hpp"

namespace {

namespace fs = std::filesystem;
using kit::http::StaticLocation;

StaticLocation location(std::string path, bool exact, std::string dir = "", bool alias = false) {
  StaticLocation l;
  l.path = std::move(path);
  l.exact = exact;
  l.dir = std::move(dir);
  l.alias = alias;
  return l;
}

// base/: root/{a.txt}, pictures/{x, logo.png}, icons/kit.ico, secret; removed at the end.
struct Tree {
  fs::path base;
  Tree() {
    char name[] = "/tmp/kit-location-XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    base = name;
    fs::create_directories(base / "root");
    fs::create_directories(base / "pictures");
    fs::create_directories(base / "icons");
    std::ofstream(base / "root" / "a.txt") << "a\n";
    std::ofstream(base / "pictures" / "x") << "x\n";
    std::ofstream(base / "pictures" / "logo.png") << "png\n";
    std::ofstream(base / "icons" / "kit.ico") << "ico\n";
    std::ofstream(base / "secret") << "secret\n";
  }
  ~Tree() { fs::remove_all(base); }
};

// The bytes of the file a request path maps to through `l`, or "errno N".
std::string serve(const StaticLocation& l, std::string_view request_path) {
  const std::string relative(l.relative(request_path));
  kit::Fd fd(kit::http::open_beneath(l.dir_fd(), relative.c_str()));
  if (!fd) return "errno " + std::to_string(errno);
  char buf[64];
  const ssize_t n = ::read(fd.get(), buf, sizeof buf);
  return n < 0 ? "read failed" : std::string(buf, static_cast<size_t>(n));
}

}  // namespace

TEST_CASE("exact beats prefix, the longest prefix wins, else none", "[static_location][ch12]") {
  std::vector<StaticLocation> locations;
  locations.push_back(location("/img/", false));
  locations.push_back(location("/img/icons/", false));
  locations.push_back(location("/fav", false));
  locations.push_back(location("/favicon.ico", true));
  locations.push_back(location("/docs", false));
  locations.push_back(location("/docs", true));
  struct Row {
    std::string_view path;
    int expected;  // index into `locations`, -1: none
  };
  constexpr Row kRows[] = {
      {"/img/a.png", 0},    {"/img/", 0},
      {"/img/icons/", 1},   {"/img/icons/x.png", 1},
      {"/img/iconsx", 0},   {"/favicon.ico", 3},  // exact, though the prefix "/fav" matches as well
      {"/favicon.icox", 2},                       // an exact location is exact: the prefix answers
      {"/fav", 2},          {"/docs", 5},
      {"/docs/", 4},        {"/docsx", 4},  // a plain prefix, as in nginx
      {"/img", -1},         {"/", -1},
      {"/other", -1},
  };
  // The order of the locations in the file does not matter.
  for (const bool reversed : {false, true}) {
    std::vector<StaticLocation> list;
    for (size_t i = 0; i < locations.size(); ++i) {
      const StaticLocation& l = locations[reversed ? locations.size() - 1 - i : i];
      list.push_back(location(l.path, l.exact));
    }
    for (const Row& row : kRows) {
      INFO(row.path << (reversed ? " (locations reversed)" : ""));
      const StaticLocation* found = kit::http::find_location(list, row.path);
      if (row.expected < 0) {
        CHECK(found == nullptr);
      } else {
        REQUIRE(found != nullptr);
        CHECK(found->path == locations[static_cast<size_t>(row.expected)].path);
        CHECK(found->exact == locations[static_cast<size_t>(row.expected)].exact);
      }
    }
  }
  CHECK(kit::http::find_location({}, "/") == nullptr);
}

TEST_CASE("root appends the path, alias replaces the prefix", "[static_location][ch12]") {
  struct Row {
    std::string_view location_path;
    bool exact;
    bool alias;
    std::string_view request;
    std::string_view relative;
  };
  constexpr Row kRows[] = {
      {"/", false, false, "/", ""},
      {"/", false, false, "/a/b.txt", "a/b.txt"},
      {"/img/", false, false, "/img/a.png", "img/a.png"},
      {"/img/", false, true, "/img/a.png", "a.png"},
      {"/img/", false, true, "/img/", ""},
      {"/img/", false, true, "/img/sub/a.png", "sub/a.png"},
      {"/img", false, true, "/img/a.png", "a.png"},
      {"/img", false, true, "/imgx", "x"},  // nginx would map this to <alias>x, a sibling
      {"/img", false, true, "/img", ""},
      {"/docs/", true, true, "/docs/", ""},
      {"/docs/", true, false, "/docs/", "docs/"},
  };
  for (const Row& row : kRows) {
    INFO((row.exact ? "= " : "") << row.location_path << (row.alias ? " alias" : " root") << ", "
                                 << row.request);
    const StaticLocation l =
        location(std::string(row.location_path), row.exact, "/unused", row.alias);
    CHECK(l.relative(row.request) == row.relative);
  }
}

TEST_CASE("open() maps root, alias and an exact alias to a file", "[static_location][ch12]") {
  Tree t;
  StaticLocation root = location("/", false, (t.base / "root").string());
  root.open();
  CHECK(serve(root, "/a.txt") == "a\n");

  StaticLocation images = location("/images/", false, (t.base / "pictures").string() + "/", true);
  images.open();
  CHECK(serve(images, "/images/logo.png") == "png\n");

  StaticLocation icon =
      location("/favicon.ico", true, (t.base / "icons" / "kit.ico").string(), true);
  icon.open();
  CHECK(icon.relative("/favicon.ico") == "kit.ico");
  CHECK(serve(icon, "/favicon.ico") == "ico\n");
}

TEST_CASE("an alias without its slash never leads out of its directory",
          "[static_location][ch12]") {
  Tree t;
  StaticLocation img = location("/img", false, (t.base / "pictures").string(), true);
  img.open();
  CHECK(serve(img, "/imgx") == "x\n");  // beneath the alias, not a sibling directory
  CHECK(serve(img, "/img/x") == "x\n");
  // "/img../secret" is a normalised path ("img.." is a name), and its relative part "../secret"
  // is refused by the open beneath the alias directory.
  CHECK(img.relative("/img../secret") == "../secret");
  CHECK(serve(img, "/img../secret") == "errno " + std::to_string(EXDEV));
}

TEST_CASE("a directory that cannot be opened is an error naming it", "[static_location][ch12]") {
  Tree t;
  struct Row {
    StaticLocation l;
    std::string message;
  };
  const std::string missing = (t.base / "missing").string();
  const std::string file = (t.base / "secret").string();
  Row rows[] = {
      {location("/", false, missing), "open(root \"" + missing + "\")"},
      {location("/x/", false, missing, true), "open(alias \"" + missing + "\")"},
      // Only an exact location's alias may name a file.
      {location("/x", false, file, true), "open(alias \"" + file + "\")"},
      {location("/x", true, file, false), "open(root \"" + file + "\")"},
  };
  for (Row& row : rows) {
    INFO(row.message);
    CHECK_THROWS_AS(row.l.open(), std::system_error);
    CHECK_THROWS_WITH(row.l.open(), Catch::Contains(row.message));
  }
}
