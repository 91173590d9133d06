// lib/static/open_file_cache.hpp: hits within `valid`, checks after it, LRU eviction beyond
// `max`, expiry after `inactive`, bytes kept only for small files — against a real temporary
// directory and a fake clock.
#include "static/open_file_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using kit::http::OpenedFile;
using kit::http::OpenFileCache;
using kit::http::OpenFileCacheOptions;

// A temporary directory, opened the way StaticLocation opens a root; removed at the end.
struct TempDir {
  fs::path path;
  kit::Fd fd;
  TempDir() {
    char name[] = "/tmp/kit-ofc-XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    path = name;
    fd.reset(::open(name, O_PATH | O_DIRECTORY | O_CLOEXEC));
    REQUIRE(fd.valid());
  }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& content) const {
    std::ofstream(path / name, std::ios::binary | std::ios::trunc) << content;
  }
};

// A cache whose clock the test moves by hand (`now`, in ms).
struct Fixture {
  TempDir dir;
  int64_t now = 1'000'000;
  OpenFileCache cache;
  explicit Fixture(OpenFileCacheOptions o = {10, 20'000, 1'000, 64})
      : cache(o, [this] { return now; }) {}
  OpenedFile open(const char* name) { return cache.open(dir.fd.get(), name); }
};

// What the fd holds now, from its first byte.
std::string read_fd(int fd) {
  std::string out(1 << 16, '\0');
  const ssize_t n = ::pread(fd, out.data(), out.size(), 0);
  REQUIRE(n >= 0);
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

TEST_CASE("a second open within valid is a hit sharing the fd and the bytes",
          "[open_file_cache][ch12]") {
  Fixture f;
  f.dir.write("a.txt", "hello\n");
  const OpenedFile first = f.open("a.txt");
  REQUIRE(first.err == 0);
  CHECK(first.regular);
  CHECK_FALSE(first.directory);
  CHECK(first.size == 6);
  REQUIRE(first.shared);
  CHECK_FALSE(first.owned.valid());
  REQUIRE(first.content);
  CHECK(*first.content == "hello\n");
  CHECK(f.cache.opens() == 1);
  CHECK(f.cache.hits() == 0);
  CHECK(f.cache.size() == 1);

  f.now += 999;  // valid - 1
  const OpenedFile second = f.open("a.txt");
  CHECK(f.cache.opens() == 1);
  CHECK(f.cache.hits() == 1);
  CHECK(second.shared == first.shared);
  CHECK(second.fd() == first.fd());
  CHECK(second.content == first.content);
  CHECK(second.size == 6);
  CHECK(second.mtime == first.mtime);
}

TEST_CASE("after valid an unchanged file is checked and keeps its fd and bytes",
          "[open_file_cache][ch12]") {
  Fixture f;
  f.dir.write("a.txt", "hello\n");
  const OpenedFile first = f.open("a.txt");
  f.now += 1'000;  // exactly valid: no longer a hit
  const OpenedFile again = f.open("a.txt");
  CHECK(f.cache.opens() == 2);
  CHECK(f.cache.hits() == 0);
  CHECK(again.shared == first.shared);
  CHECK(again.content == first.content);
  CHECK(f.cache.size() == 1);
  // The check restarted the valid period.
  f.now += 999;
  (void)f.open("a.txt");
  CHECK(f.cache.opens() == 2);
  CHECK(f.cache.hits() == 1);
}

TEST_CASE("a changed file is served as cached within valid and anew after it",
          "[open_file_cache][ch12]") {
  struct Change {
    const char* what;
    std::string replacement;
    void (*apply)(const TempDir&, const std::string&);
  };
  const Change changes[] = {
      // Same inode, another size.
      {"rewritten in place", "a longer text\n",
       [](const TempDir& d, const std::string& s) { d.write("a.txt", s); }},
      // Same size (and likely the same mtime second): only the inode tells them apart.
      {"replaced by rename", "HELLO\n",
       [](const TempDir& d, const std::string& s) {
         d.write("a.new", s);
         fs::rename(d.path / "a.new", d.path / "a.txt");
       }},
  };
  for (const Change& c : changes) {
    DYNAMIC_SECTION(c.what) {
      Fixture f;
      f.dir.write("a.txt", "hello\n");
      const OpenedFile old = f.open("a.txt");
      REQUIRE(old.err == 0);
      c.apply(f.dir, c.replacement);

      f.now += 500;
      const OpenedFile cached = f.open("a.txt");
      CHECK(cached.shared == old.shared);
      REQUIRE(cached.content);
      CHECK(*cached.content == "hello\n");
      CHECK(cached.size == 6);

      f.now += 500;
      const OpenedFile fresh = f.open("a.txt");
      REQUIRE(fresh.err == 0);
      CHECK(fresh.shared != old.shared);
      CHECK(fresh.fd() != old.fd());
      REQUIRE(fresh.content);
      CHECK(*fresh.content == c.replacement);
      CHECK(fresh.size == c.replacement.size());
      CHECK(read_fd(fresh.fd()) == c.replacement);
      CHECK(f.cache.size() == 1);
      // The response still holding the old version keeps its fd and bytes.
      CHECK(*old.content == "hello\n");
      CHECK(::fcntl(old.fd(), F_GETFD) != -1);
    }
  }
}

TEST_CASE("a removed file is served from the cache within valid, then is ENOENT",
          "[open_file_cache][ch12]") {
  Fixture f;
  f.dir.write("a.txt", "hello\n");
  REQUIRE(f.open("a.txt").err == 0);
  fs::remove(f.dir.path / "a.txt");
  f.now += 999;
  const OpenedFile cached = f.open("a.txt");
  CHECK(cached.err == 0);
  REQUIRE(cached.content);
  CHECK(*cached.content == "hello\n");
  CHECK(read_fd(cached.fd()) == "hello\n");  // an unlinked file stays readable through its fd

  f.now += 1;
  const OpenedFile gone = f.open("a.txt");
  CHECK(gone.err == ENOENT);
  CHECK(gone.fd() == -1);
  CHECK_FALSE(gone.content);
  CHECK(f.cache.size() == 0);
}

TEST_CASE("only files up to memory_max are kept in memory", "[open_file_cache][ch12]") {
  constexpr uint64_t kMemoryMax = 64;
  const size_t size =
      GENERATE(size_t{0}, size_t{1}, size_t{63}, size_t{64}, size_t{65}, size_t{4096});
  Fixture f({10, 20'000, 1'000, kMemoryMax});
  std::string content(size, 'x');
  for (size_t i = 0; i < size; ++i)
    content[i] = static_cast<char>('a' + i % 26);
  f.dir.write("f", content);
  const OpenedFile file = f.open("f");
  INFO("size " << size);
  REQUIRE(file.err == 0);
  CHECK(file.size == size);
  CHECK(file.regular);
  if (size <= kMemoryMax) {
    REQUIRE(file.content);
    CHECK(*file.content == content);
  } else {
    CHECK_FALSE(file.content);
  }
  CHECK(read_fd(file.fd()) == content);
}

TEST_CASE("a directory is cached as a directory, without bytes", "[open_file_cache][ch12]") {
  Fixture f;
  fs::create_directory(f.dir.path / "d");
  for (const char* name : {"d", ""}) {  // "" is the directory fd itself
    INFO("\"" << name << "\"");
    const OpenedFile d = f.open(name);
    REQUIRE(d.err == 0);
    CHECK(d.directory);
    CHECK_FALSE(d.regular);
    CHECK_FALSE(d.content);
    CHECK(d.fd() >= 0);
  }
  CHECK(f.cache.size() == 2);
}

TEST_CASE("failed opens are not cached", "[open_file_cache][ch12]") {
  struct Row {
    const char* name;
    int err;
  };
  const Row rows[] = {
      {"missing", ENOENT}, {"a.txt/x", ENOTDIR}, {"out", EXDEV},  // a symlink leaving the directory
  };
  Fixture f;
  f.dir.write("a.txt", "hello\n");
  fs::create_symlink("/", f.dir.path / "out");
  for (const Row& row : rows) {
    INFO(row.name);
    const uint64_t opens = f.cache.opens();
    CHECK(f.open(row.name).err == row.err);
    CHECK(f.open(row.name).err == row.err);  // asked again at once: opened again
    CHECK(f.cache.opens() == opens + 2);
    CHECK(f.cache.hits() == 0);
    CHECK(f.cache.size() == 0);
  }
}

TEST_CASE("beyond max the least recently used entry is closed", "[open_file_cache][ch12]") {
  const bool touch_a = GENERATE(false, true);
  Fixture f({2, 20'000, 1'000'000, 64});
  for (const char* name : {"a", "b", "c"})
    f.dir.write(name, name);
  const OpenedFile a = f.open("a");
  f.now += 1;
  (void)f.open("b");
  f.now += 1;
  if (touch_a) (void)f.open("a");  // a becomes the most recently used
  f.now += 1;
  (void)f.open("c");
  CHECK(f.cache.size() == 2);

  const char* kept = touch_a ? "a" : "b";
  const char* evicted = touch_a ? "b" : "a";
  INFO("kept " << kept << ", evicted " << evicted);
  const uint64_t opens = f.cache.opens();
  const uint64_t hits = f.cache.hits();
  (void)f.open(kept);
  CHECK(f.cache.opens() == opens);
  CHECK(f.cache.hits() == hits + 1);
  (void)f.open(evicted);
  CHECK(f.cache.opens() == opens + 1);
  CHECK(f.cache.size() == 2);
  // The first response's fd outlived its entry when "a" was evicted.
  CHECK(read_fd(a.fd()) == "a");
}

TEST_CASE("entries idle for inactive are closed on a later lookup", "[open_file_cache][ch12]") {
  Fixture f({10, 100, 1'000'000, 64});
  for (const char* name : {"a", "b", "c"})
    f.dir.write(name, name);
  (void)f.open("a");  // t = 0
  f.now += 50;
  (void)f.open("b");  // t = 50
  f.now += 60;        // t = 110: a idle 110 ms, b 60 ms
  (void)f.open("c");
  CHECK(f.cache.size() == 2);  // a closed, b kept
  const uint64_t opens = f.cache.opens();
  (void)f.open("b");
  CHECK(f.cache.opens() == opens);  // still cached
  (void)f.open("a");
  CHECK(f.cache.opens() == opens + 1);  // opened again
}

TEST_CASE("an entry idle for inactive is opened again even within valid",
          "[open_file_cache][ch12]") {
  Fixture f({10, 100, 1'000'000, 64});
  f.dir.write("a", "a");
  (void)f.open("a");
  f.now += 99;
  (void)f.open("a");
  CHECK(f.cache.opens() == 1);
  f.now += 100;
  (void)f.open("a");
  CHECK(f.cache.opens() == 2);
  CHECK(f.cache.hits() == 1);
  CHECK(f.cache.size() == 1);
}

TEST_CASE("the same name beneath two directories is two entries", "[open_file_cache][ch12]") {
  Fixture f;
  TempDir other;
  f.dir.write("a.txt", "one\n");
  other.write("a.txt", "two\n");
  const OpenedFile one = f.open("a.txt");
  const OpenedFile two = f.cache.open(other.fd.get(), "a.txt");
  REQUIRE(one.content);
  REQUIRE(two.content);
  CHECK(*one.content == "one\n");
  CHECK(*two.content == "two\n");
  CHECK(f.cache.size() == 2);
}

TEST_CASE("max=0 caches nothing but still opens", "[open_file_cache][ch12]") {
  Fixture f({0, 20'000, 1'000, 64});
  f.dir.write("a.txt", "hello\n");
  const OpenedFile a = f.open("a.txt");
  const OpenedFile b = f.open("a.txt");
  REQUIRE(a.content);
  CHECK(*a.content == "hello\n");
  CHECK(a.shared != b.shared);
  CHECK(f.cache.size() == 0);
  CHECK(f.cache.opens() == 2);
}

TEST_CASE("open_uncached gives the request its own fd", "[open_file_cache][ch12]") {
  TempDir dir;
  dir.write("a.txt", "hello\n");
  fs::create_directory(dir.path / "d");
  const OpenedFile a = kit::http::open_uncached(dir.fd.get(), "a.txt");
  REQUIRE(a.err == 0);
  CHECK(a.owned.valid());
  CHECK_FALSE(a.shared);
  CHECK_FALSE(a.content);
  CHECK(a.size == 6);
  CHECK(a.regular);
  struct stat st {};
  REQUIRE(::stat((dir.path / "a.txt").c_str(), &st) == 0);
  CHECK(a.mtime == st.st_mtim.tv_sec);
  CHECK(read_fd(a.fd()) == "hello\n");

  const OpenedFile d = kit::http::open_uncached(dir.fd.get(), "d");
  CHECK(d.directory);
  CHECK_FALSE(d.regular);

  const OpenedFile missing = kit::http::open_uncached(dir.fd.get(), "missing");
  CHECK(missing.err == ENOENT);
  CHECK_FALSE(missing.owned.valid());
  CHECK(missing.fd() == -1);
}
