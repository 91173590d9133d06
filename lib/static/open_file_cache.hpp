// OpenFileCache: a worker's cache of open file descriptors and their stat information, so a
// file asked for again does not cost openat2 + fstat + close per request; files up to
// `memory_max` bytes are also kept in memory, so a small file's response is one send of head
// and body (no pread, no sendfile). An entry is used for `valid` ms after it was opened or
// checked, then opened again (a changed file — other inode, size or mtime — replaces it);
// entries not used for `inactive` ms, and the least recently used beyond `max`, are closed.
// Failed opens are not cached (a flood of 404s cannot evict the site's files).
//
//   lookup: key "dirfd:relative" → hash map → LRU list node { fd, size, mtime, bytes }
//
// Invariant: what an entry serves — its fd, its bytes and the validators derived from its
// stat — was taken together, so a response never pairs one version's ETag with another's
// bytes (a file rewritten in place within `valid` can still be served through the old fd,
// as with nginx's cache). Responses share the fd and the bytes (shared_ptr): an entry closed
// while a response is still being sent stays open until that response is done.
// Owns the cached descriptors and bytes. Single-threaded: one per worker.
// nginx counterpart: open_file_cache (ngx_open_file_cache.c); nginx keeps no bytes — that part
// is the kit's. Introduced in chapter 12. Alternative not taken: inotify to invalidate (an fd
// and events per watched directory; nginx polls by time as well).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <ctime>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/fd.hpp"

namespace kit::http {

struct OpenFileCacheOptions {
  size_t max = 1000;            // nginx open_file_cache max=N
  int64_t inactive = 20'000;    // ms; nginx open_file_cache inactive=20s (its default: 60s)
  int64_t valid = 1'000;        // ms; nginx open_file_cache_valid (default 60s; short here)
  uint64_t memory_max = 16384;  // bytes; larger files are sent from the fd (sendfile)
};

// A file as one request sees it: opened now (cache off) or shared with the cache.
struct OpenedFile {
  int err = 0;                                 // errno of the failed open; 0 on success
  Fd owned;                                    // without a cache: this request's own fd
  std::shared_ptr<const Fd> shared;            // from the cache
  std::shared_ptr<const std::string> content;  // the whole file, for small regular files
  uint64_t size = 0;
  std::time_t mtime = 0;
  bool directory = false;
  bool regular = false;

  [[nodiscard]] int fd() const { return shared ? shared->get() : owned.get(); }
};

// Opens `relative` beneath `dir_fd` and stats it, without a cache (chapter 12 with
// open_file_cache off). err is set on failure.
[[nodiscard]] OpenedFile open_uncached(int dir_fd, const char* relative);

class OpenFileCache {
 public:
  using Clock = std::function<int64_t()>;  // milliseconds, monotonic
  explicit OpenFileCache(OpenFileCacheOptions options, Clock clock = {});

  // The file `relative` beneath `dir_fd` (a directory fd that outlives the cache).
  [[nodiscard]] OpenedFile open(int dir_fd, const char* relative);

  [[nodiscard]] size_t size() const { return lru_.size(); }
  // Counters for tests and the chapter's README: lookups answered from the cache, opens.
  [[nodiscard]] uint64_t hits() const { return hits_; }
  [[nodiscard]] uint64_t opens() const { return opens_; }

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const Fd> fd;
    std::shared_ptr<const std::string> content;
    dev_t dev = 0;
    ino_t ino = 0;
    uint64_t size = 0;
    std::time_t mtime = 0;
    bool directory = false, regular = false;
    int64_t checked = 0, used = 0;
  };
  using Lru = std::list<Entry>;

  bool fill(Entry& e, int dir_fd, const char* relative, int& err);
  void expire(int64_t now);
  void remove(Lru::iterator it);
  static OpenedFile view(const Entry& e);

  OpenFileCacheOptions options_;
  Clock clock_;
  Lru lru_;                                                    // most recently used first
  std::unordered_map<std::string_view, Lru::iterator> index_;  // keys view Entry::key
  std::string key_;  // reused for every lookup: no allocation per request
  uint64_t hits_ = 0, opens_ = 0;
};

}  // namespace kit::http
