#include "static/open_file_cache.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>

#include "static/open_beneath.hpp"

namespace kit::http {
namespace {

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The whole file, or nullptr if it did not read back at the size fstat gave (it is being
// written: serve it from the fd, whose length the response then guards).
std::shared_ptr<const std::string> read_whole(int fd, uint64_t size) {
  auto bytes = std::make_shared<std::string>(size, '\0');
  uint64_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, bytes->data() + done, size - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return nullptr;
    done += static_cast<uint64_t>(n);
  }
  return bytes;
}

}  // namespace

OpenedFile open_uncached(int dir_fd, const char* relative) {
  OpenedFile f;
  f.owned.reset(open_beneath(dir_fd, relative));
  struct stat st {};
  if (!f.owned || ::fstat(f.owned.get(), &st) != 0) {
    f.err = errno;
    f.owned.reset();
    return f;
  }
  f.size = static_cast<uint64_t>(st.st_size);
  f.mtime = st.st_mtim.tv_sec;
  f.directory = S_ISDIR(st.st_mode);
  f.regular = S_ISREG(st.st_mode);
  return f;
}

OpenFileCache::OpenFileCache(OpenFileCacheOptions options, Clock clock)
    : options_(options), clock_(clock ? std::move(clock) : Clock(steady_ms)) {
}

// ---- lesson: ch12 the open-file cache ----
OpenedFile OpenFileCache::open(int dir_fd, const char* relative) {
  const int64_t now = clock_();
  expire(now);
  key_.clear();
  char num[16];
  key_.append(num, std::to_chars(num, num + sizeof num, dir_fd).ptr);
  key_ += ':';
  key_ += relative;
  if (auto found = index_.find(key_); found != index_.end()) {
    Entry& e = *found->second;
    lru_.splice(lru_.begin(), lru_, found->second);  // most recently used
    e.used = now;
    if (now - e.checked < options_.valid) {
      ++hits_;
      return view(e);
    }
    int err = 0;
    if (!fill(e, dir_fd, relative, err)) {  // gone or unreadable now: forget it
      remove(found->second);
      OpenedFile failed;
      failed.err = err;
      return failed;
    }
    e.checked = now;
    return view(e);
  }
  Entry fresh;
  int err = 0;
  if (!fill(fresh, dir_fd, relative, err)) {
    OpenedFile failed;
    failed.err = err;
    return failed;
  }
  if (options_.max == 0) return view(fresh);
  if (lru_.size() >= options_.max) remove(std::prev(lru_.end()));
  fresh.key = key_;
  fresh.checked = fresh.used = now;
  lru_.push_front(std::move(fresh));
  index_.emplace(lru_.front().key, lru_.begin());
  return view(lru_.front());
}

// Opens and stats the file; keeps the entry's fd and bytes if it is still the same file
// (device, inode, size and mtime unchanged), else takes the new ones.
bool OpenFileCache::fill(Entry& e, int dir_fd, const char* relative, int& err) {
  ++opens_;
  Fd fd(open_beneath(dir_fd, relative));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0) {
    err = errno;
    return false;
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  if (e.fd && e.dev == st.st_dev && e.ino == st.st_ino && e.size == size &&
      e.mtime == st.st_mtim.tv_sec) {
    return true;  // unchanged: the new fd closes here
  }
  e.dev = st.st_dev;
  e.ino = st.st_ino;
  e.size = size;
  e.mtime = st.st_mtim.tv_sec;
  e.directory = S_ISDIR(st.st_mode);
  e.regular = S_ISREG(st.st_mode);
  e.content = e.regular && size <= options_.memory_max ? read_whole(fd.get(), size) : nullptr;
  e.fd = std::make_shared<const Fd>(std::move(fd));
  return true;
}

// nginx's ngx_expire_old_cached_files(): the least recently used entries idle for longer
// than `inactive` are closed, a few per lookup so that no single request pays for many.
void OpenFileCache::expire(int64_t now) {
  for (int i = 0; i < 2 && !lru_.empty(); ++i) {
    const auto last = std::prev(lru_.end());
    if (now - last->used < options_.inactive) return;
    remove(last);
  }
}
// ---- end lesson ----

void OpenFileCache::remove(Lru::iterator it) {
  index_.erase(it->key);
  lru_.erase(it);
}

OpenedFile OpenFileCache::view(const Entry& e) {
  OpenedFile f;
  f.shared = e.fd;
  f.content = e.content;
  f.size = e.size;
  f.mtime = e.mtime;
  f.directory = e.directory;
  f.regular = e.regular;
  return f;
}

}  // namespace kit::http
