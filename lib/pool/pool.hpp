// Pool: a region allocator — many small allocations bumped out of a few big blocks, all
// released at once by reset() or destruction. It is also a std::pmr::memory_resource.
// Invariant: small allocations live until reset()/destruction (there is no per-object free);
// large ones may be freed early with free_large(). Not thread-safe: one pool per
// connection or request, used by the thread that owns it. nginx counterpart: ngx_palloc.c
// (ngx_create_pool, ngx_palloc, ngx_pfree, ngx_pool_cleanup_add, ngx_reset_pool,
// ngx_destroy_pool). Introduced in chapter 09. Alternatives not taken: malloc per object
// (a call and a header per allocation, and every exit path must free) and
// std::pmr::monotonic_buffer_resource (no cleanup handlers, cannot free a large buffer early).
#pragma once

#include <cstddef>
#include <memory_resource>

namespace kit {

class Pool final : public std::pmr::memory_resource {
 public:
  // block_size: bytes per block including its header (nginx: connection_pool_size 512,
  // request_pool_size 4k). Smaller values are raised to 256 so a block holds useful data.
  // `blocks` (chapter 12): where the blocks come from and go back to — a worker's recycling
  // pool, so a request pool made and destroyed per busy period costs no malloc. nullptr: malloc.
  explicit Pool(std::size_t block_size = 4096, std::pmr::memory_resource* blocks = nullptr);
  // Runs the cleanups (most recent first), then frees large allocations and all blocks.
  ~Pool() override;
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // ngx_palloc: `size` bytes aligned to `align` (a power of two). Returns nullptr if malloc
  // fails or `align` is not a power of two. size 0 is served as 1 byte, so the pointer is
  // non-null and distinct from other live allocations.
  [[nodiscard]] void* alloc(std::size_t size,
                            std::size_t align = alignof(std::max_align_t)) noexcept;
  // ngx_pfree: frees a large allocation now and returns true; for anything else (small
  // allocations, unknown pointers, nullptr) does nothing and returns false.
  bool free_large(void* p) noexcept;
  // ngx_pool_cleanup_add: handler(data) runs at reset() and at destruction, most recent first.
  // For resources that are not pool memory (an fd, a temp file). The record lives in the pool.
  // Throws std::bad_alloc if the record cannot be allocated. Handlers must not throw or use this
  // pool.
  void add_cleanup(void (*handler)(void*), void* data);
  // ngx_reset_pool: runs and forgets the cleanups, frees large allocations, and rewinds every
  // block. All blocks are kept: a reused pool (keep-alive connection) tends to need as many
  // blocks again, and keeping them spares malloc/free per request.
  void reset() noexcept;

  std::size_t max_small() const noexcept { return max_small_; }
  std::size_t block_count() const noexcept { return block_count_; }
  std::size_t large_count() const noexcept { return large_count_; }
  // Block bytes plus live large bytes: what this pool holds from malloc (RSS per connection).
  std::size_t bytes_reserved() const noexcept { return block_count_ * block_size_ + large_bytes_; }

 private:
  struct Block;    // header at the start of each block (ngx_pool_data_t)
  struct Large;    // large-list node, stored in a block (ngx_pool_large_t)
  struct Cleanup;  // cleanup record, stored in a block (ngx_pool_cleanup_t)

  void* do_allocate(std::size_t bytes, std::size_t align) override;
  void do_deallocate(void* p, std::size_t bytes, std::size_t align) override;
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }

  Block* new_block() noexcept;
  bool fits_small(std::size_t size, std::size_t align) const noexcept;
  void* alloc_small(std::size_t size, std::size_t align) noexcept;
  void* alloc_from_new_block(std::size_t size, std::size_t align) noexcept;
  void* alloc_large(std::size_t size, std::size_t align) noexcept;
  Large* reusable_large_node() const noexcept;
  void run_cleanups() noexcept;
  void free_all_large() noexcept;

  std::size_t block_size_;
  std::pmr::memory_resource* blocks_;  // nullptr: std::malloc / std::free
  std::size_t max_small_;
  Block* first_ = nullptr;    // never null after construction; owns the chain
  Block* current_ = nullptr;  // first block still worth trying (nginx pool->current)
  Large* large_ = nullptr;
  Cleanup* cleanup_ = nullptr;
  std::size_t block_count_ = 0;
  std::size_t large_count_ = 0;
  std::size_t large_bytes_ = 0;
};

}  // namespace kit
