// malloc_count: an LD_PRELOAD library that counts a process's heap calls, so the bench can
// report allocations per request for any server — the chapters and nginx alike — without
// changing them. Counters live in a shared file mapping named by $KIT_MALLOC_COUNTS, so every
// process of a server (nginx's master and worker) adds to the same three numbers, and the
// harness reads them before and after a workload with od(1):
//
//   offset 0: allocations (malloc, calloc, realloc, memalign, aligned_alloc, posix_memalign)
//   offset 8: frees of a non-null pointer (free, and realloc moving or shrinking to 0)
//   offset 16: bytes requested by the allocations
//
// Each call adds with one relaxed atomic increment: a few nanoseconds next to malloc's own
// cost, so the servers are benchmarked with it loaded. Forwarding goes to glibc's __libc_*
// entry points, which need no dlsym (dlsym itself allocates). Alternative not taken:
// ltrace -c or uprobes (slow the server by orders of magnitude, or need perf set-up).
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" {
void* __libc_malloc(size_t);
void __libc_free(void*);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* __libc_memalign(size_t, size_t);
}

namespace {

struct Counters {
  std::atomic<uint64_t> allocs, frees, bytes;
};

// Until the constructor has mapped the file (and if there is none), counts go here.
Counters g_local{};
Counters* g_counters = &g_local;

__attribute__((constructor)) void map_counters() {
  const char* path = std::getenv("KIT_MALLOC_COUNTS");
  if (path == nullptr || *path == '\0') return;
  const int fd = ::open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  if (::ftruncate(fd, 4096) == 0) {
    void* p = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p != MAP_FAILED) g_counters = static_cast<Counters*>(p);
  }
  ::close(fd);
}

void count_alloc(size_t bytes) {
  g_counters->allocs.fetch_add(1, std::memory_order_relaxed);
  g_counters->bytes.fetch_add(bytes, std::memory_order_relaxed);
}

void count_free(const void* p) {
  if (p != nullptr) g_counters->frees.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

extern "C" {

void* malloc(size_t n) {
  count_alloc(n);
  return __libc_malloc(n);
}

void free(void* p) {
  count_free(p);
  __libc_free(p);
}

void* calloc(size_t n, size_t size) {
  count_alloc(n * size);
  return __libc_calloc(n, size);
}

void* realloc(void* p, size_t n) {
  void* q = __libc_realloc(p, n);
  if (p == nullptr) {
    count_alloc(n);
  } else if (n == 0) {
    count_free(p);
  } else if (q != p && q != nullptr) {
    count_alloc(n);  // moved: a new block and the old one freed
    count_free(p);
  }
  return q;
}

void* memalign(size_t align, size_t n) {
  count_alloc(n);
  return __libc_memalign(align, n);
}

void* aligned_alloc(size_t align, size_t n) {
  count_alloc(n);
  return __libc_memalign(align, n);
}

int posix_memalign(void** out, size_t align, size_t n) {
  if (align < sizeof(void*) || (align & (align - 1)) != 0) return EINVAL;
  void* p = __libc_memalign(align, n);
  if (p == nullptr) return ENOMEM;
  count_alloc(n);
  *out = p;
  return 0;
}

}  // extern "C"
