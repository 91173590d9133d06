// lib/pool/pool.hpp: a region allocator — bump allocation in blocks, a large list, cleanups.
#include "pool/pool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory_resource>
#include <new>
#include <string>
#include <vector>

namespace {

bool is_aligned(const void* p, std::size_t align) {
  return reinterpret_cast<std::uintptr_t>(p) % align == 0;
}

// Address comparison without relational operators on unrelated pointers.
bool within(const void* p, const void* base, std::size_t len) {
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  const auto b = reinterpret_cast<std::uintptr_t>(base);
  return a >= b && a < b + len;
}

// Records the order in which cleanups run.
struct Tagged {
  std::vector<int>* log;
  int id;
};

void record(void* data) {
  auto* t = static_cast<Tagged*>(data);
  t->log->push_back(t->id);
}

void close_fd(void* data) {
  ::close(*static_cast<int*>(data));
}

}  // namespace

TEST_CASE("Pool serves small requests at every alignment from its blocks", "[ch09][pool]") {
  const std::size_t size = GENERATE(0, 1, 3, 24, 100, 1000, 4095);
  const std::size_t align = GENERATE(1, 2, 8, 16, 64, 4096);
  kit::Pool pool(64 * 1024);  // room for the padding a 4096 alignment may need
  CAPTURE(size, align);
  for (int i = 0; i < 3; ++i) {  // later requests start at unaligned offsets
    void* p = pool.alloc(size, align);
    REQUIRE(p != nullptr);
    CHECK(is_aligned(p, align));
    std::memset(p, 0xAB, size == 0 ? 1 : size);  // ASan checks it is all ours
  }
  CHECK(pool.large_count() == 0);
}

TEST_CASE("Pool serves large requests at every alignment from malloc", "[ch09][pool]") {
  const std::size_t extra = GENERATE(1, 5000, 100000);
  const std::size_t align = GENERATE(1, 2, 8, 16, 64, 4096);
  kit::Pool pool;
  const std::size_t size = pool.max_small() + extra;
  CAPTURE(size, align);
  void* p = pool.alloc(size, align);
  REQUIRE(p != nullptr);
  CHECK(is_aligned(p, align));
  std::memset(p, 0xCD, size);
  CHECK(pool.large_count() == 1);
  CHECK(pool.bytes_reserved() >= pool.block_count() * 4096 + size);
}

TEST_CASE("Pool sends an alignment no fresh block could honour to the large list", "[ch09][pool]") {
  const std::size_t align = GENERATE(4096, 8192);
  kit::Pool pool(4096);
  void* p = pool.alloc(100, align);
  REQUIRE(p != nullptr);
  CHECK(is_aligned(p, align));
  CHECK(pool.large_count() == 1);
}

TEST_CASE("Pool max_small is what a block holds, capped at a page minus one", "[ch09][pool]") {
  const std::size_t block_size = GENERATE(0, 100, 256, 512, 1024, 4096, 16384);
  kit::Pool pool(block_size);
  const std::size_t effective = block_size < 256 ? 256 : block_size;
  CAPTURE(block_size, pool.max_small());
  CHECK(pool.max_small() <= 4095);
  CHECK(pool.max_small() < effective);
  CHECK((pool.max_small() == 4095 || effective - pool.max_small() <= 64));
  CHECK(pool.block_count() == 1);
  CHECK(pool.bytes_reserved() == effective);

  REQUIRE(pool.alloc(pool.max_small()) != nullptr);
  CHECK(pool.large_count() == 0);
  REQUIRE(pool.alloc(pool.max_small() + 1) != nullptr);
  CHECK(pool.large_count() == 1);
}

TEST_CASE("Pool grows by whole blocks and keeps earlier allocations intact", "[ch09][pool]") {
  constexpr std::size_t kBlock = 512;
  constexpr int kCount = 200;
  constexpr std::size_t kSize = 48;  // a multiple of the default alignment: no padding
  kit::Pool pool(kBlock);
  std::vector<unsigned char*> ptrs;
  for (int i = 0; i < kCount; ++i) {
    auto* p = static_cast<unsigned char*>(pool.alloc(kSize));
    REQUIRE(p != nullptr);
    std::memset(p, i, kSize);
    ptrs.push_back(p);
  }
  CHECK(pool.block_count() > 1);
  CHECK(pool.block_count() <= kCount * kSize / (kBlock - 64) + 2);  // little waste per block
  CHECK(pool.bytes_reserved() == pool.block_count() * kBlock);
  CHECK(pool.large_count() == 0);
  for (int i = 0; i < kCount; ++i) {
    for (std::size_t j = 0; j < kSize; ++j)
      REQUIRE(ptrs[i][j] == static_cast<unsigned char>(i));
  }
}

TEST_CASE("Pool stops searching a block that failed more than 4 times", "[ch09][pool]") {
  // Each 300-byte request leaves ~180 bytes in its 512-byte block and fails in every earlier
  // block, so block 1's failure count is (new blocks - 1); at 6 failures it is skipped.
  auto [new_blocks, lands_in_first] = GENERATE(table<int, bool>({
      {1, true},
      {6, true},
      {7, false},
  }));
  CAPTURE(new_blocks);
  kit::Pool pool(512);
  void* first = pool.alloc(300);
  for (int i = 0; i < new_blocks; ++i)
    REQUIRE(pool.alloc(300) != nullptr);
  REQUIRE(pool.block_count() == static_cast<std::size_t>(1 + new_blocks));
  void* p = pool.alloc(10);
  CHECK(within(p, first, 512) == lands_in_first);
  CHECK(pool.block_count() == static_cast<std::size_t>(1 + new_blocks));
}

TEST_CASE("Pool frees large allocations one by one, small ones never", "[ch09][pool]") {
  kit::Pool pool(1024);
  void* small = pool.alloc(pool.max_small());
  void* big = pool.alloc(10000);
  REQUIRE(small != nullptr);
  REQUIRE(big != nullptr);
  CHECK(pool.large_count() == 1);
  CHECK(pool.bytes_reserved() >= 1024 + 10000);

  CHECK_FALSE(pool.free_large(small));
  CHECK_FALSE(pool.free_large(nullptr));
  CHECK(pool.free_large(big));
  CHECK(pool.large_count() == 0);
  CHECK(pool.bytes_reserved() == pool.block_count() * 1024);
  CHECK_FALSE(pool.free_large(big));  // already gone
}

TEST_CASE("Pool reuses freed large-list nodes instead of filling blocks", "[ch09][pool]") {
  kit::Pool pool(1024);
  const std::size_t blocks = pool.block_count();
  for (int i = 0; i < 1000; ++i) {  // 1000 fresh nodes would need many 1024-byte blocks
    void* p = pool.alloc(5000);
    REQUIRE(p != nullptr);
    REQUIRE(pool.free_large(p));
  }
  CHECK(pool.block_count() == blocks);
  CHECK(pool.large_count() == 0);
}

TEST_CASE("Pool reset frees every large allocation", "[ch09][pool]") {
  kit::Pool pool(1024);
  for (int i = 0; i < 3; ++i)
    REQUIRE(pool.alloc(5000 + i) != nullptr);
  REQUIRE(pool.alloc(100) != nullptr);
  CHECK(pool.large_count() == 3);
  pool.reset();
  CHECK(pool.large_count() == 0);
  CHECK(pool.bytes_reserved() == pool.block_count() * 1024);
  REQUIRE(pool.alloc(5000) != nullptr);  // the large list works again after reset
  CHECK(pool.large_count() == 1);
}

TEST_CASE("Pool runs cleanups newest first, once each, at reset and destruction", "[ch09][pool]") {
  std::vector<int> log;
  Tagged t1{&log, 1}, t2{&log, 2}, t3{&log, 3}, t4{&log, 4}, t5{&log, 5};
  {
    kit::Pool pool;
    pool.add_cleanup(record, &t1);
    pool.add_cleanup(record, &t2);
    pool.add_cleanup(record, &t3);
    CHECK(log.empty());
    pool.reset();
    CHECK(log == std::vector<int>{3, 2, 1});
    pool.reset();  // forgotten after running: nothing runs twice
    CHECK(log == std::vector<int>{3, 2, 1});
    pool.add_cleanup(record, &t4);
    pool.add_cleanup(record, &t5);
  }
  CHECK(log == std::vector<int>{3, 2, 1, 5, 4});
}

TEST_CASE("Pool cleanup data may live in the pool itself", "[ch09][pool]") {
  std::vector<int> log;
  {
    kit::Pool pool;
    std::pmr::polymorphic_allocator<Tagged> alloc(&pool);
    pool.add_cleanup(record, alloc.new_object<Tagged>(Tagged{&log, 7}));
  }  // the handler reads its data before the blocks are freed (ASan would object)
  CHECK(log == std::vector<int>{7});
}

TEST_CASE("Pool cleanup closes a real file descriptor at reset", "[ch09][pool]") {
  kit::Pool pool;
  int* fd = static_cast<int*>(pool.alloc(sizeof(int), alignof(int)));
  REQUIRE(fd != nullptr);
  *fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  REQUIRE(*fd >= 0);
  const int raw = *fd;
  pool.add_cleanup(close_fd, fd);
  REQUIRE(::fcntl(raw, F_GETFD) != -1);
  pool.reset();
  errno = 0;
  CHECK(::fcntl(raw, F_GETFD) == -1);
  CHECK(errno == EBADF);
}

TEST_CASE("Pool reset keeps its blocks and starts again at the first one", "[ch09][pool]") {
  kit::Pool pool(512);
  void* first = pool.alloc(64);
  for (int i = 0; i < 50; ++i)
    REQUIRE(pool.alloc(100) != nullptr);
  const std::size_t blocks = pool.block_count();
  REQUIRE(blocks > 1);

  pool.reset();
  CHECK(pool.block_count() == blocks);
  CHECK(pool.bytes_reserved() == blocks * 512);
  CHECK(pool.alloc(64) == first);
  for (int i = 0; i < 50; ++i)
    REQUIRE(pool.alloc(100) != nullptr);
  CHECK(pool.block_count() == blocks);  // the same requests fit the kept blocks again
}

TEST_CASE("Pool backs std::pmr containers as a memory_resource", "[ch09][pool]") {
  kit::Pool pool;
  SECTION("a vector growing to 10,000 ints frees each outgrown large buffer") {
    {
      std::pmr::vector<int> v(&pool);
      for (int i = 0; i < 10000; ++i)
        v.push_back(i);
      for (int i = 0; i < 10000; ++i)
        REQUIRE(v[i] == i);
      CHECK(pool.large_count() == 1);  // only the current buffer is alive
    }
    CHECK(pool.large_count() == 0);
  }
  SECTION("strings, including ones nested in a pmr vector") {
    std::pmr::string s(&pool);
    for (int i = 0; i < 1000; ++i)
      s += "abc";
    CHECK(s.size() == 3000);
    CHECK(s.substr(2997) == "abc");
    std::pmr::vector<std::pmr::string> names(&pool);
    names.emplace_back("a string long enough to leave the small-string buffer");
    CHECK(names[0].get_allocator().resource() == &pool);
  }
  SECTION("equality is identity") {
    kit::Pool other;
    CHECK(pool.is_equal(pool));
    CHECK_FALSE(pool.is_equal(other));
    CHECK_FALSE(pool.is_equal(*std::pmr::new_delete_resource()));
  }
}

TEST_CASE("Pool gives zero-size requests distinct non-null pointers", "[ch09][pool]") {
  kit::Pool pool;
  void* a = pool.alloc(0);
  void* b = pool.alloc(0);
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  CHECK(a != b);
  std::pmr::memory_resource& resource = pool;
  CHECK(resource.allocate(0) != nullptr);
}

TEST_CASE("Pool refuses impossible requests without allocating", "[ch09][pool]") {
  kit::Pool pool;
  constexpr std::size_t kHuge = std::numeric_limits<std::size_t>::max();
  CHECK(pool.alloc(kHuge) == nullptr);
  CHECK(pool.alloc(16, 3) == nullptr);  // not a power of two
  CHECK(pool.alloc(16, 0) == nullptr);
  std::pmr::memory_resource& resource = pool;
  volatile std::size_t huge = kHuge;  // a constant would trip -Walloc-size-larger-than
  CHECK_THROWS_AS(resource.allocate(huge), std::bad_alloc);
  CHECK(pool.large_count() == 0);
}
