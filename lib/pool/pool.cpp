#include "pool/pool.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <new>
#include <utility>

namespace kit {

// The block header (ngx_pool_data_t). Allocation bumps `last` towards `end`; `failed` counts
// the requests this block could not serve, so a nearly full block stops being searched.
struct Pool::Block {
  Block* next;
  char* last;
  char* end;
  std::size_t failed;

  // Bump-allocates `size` bytes at `align`, or returns nullptr if they do not fit. Integer
  // arithmetic on the address so that aligning never forms a pointer past `end`.
  void* try_alloc(std::size_t size, std::size_t align) noexcept {
    const auto addr = reinterpret_cast<std::uintptr_t>(last);
    const std::size_t pad = ((addr + align - 1) & ~(align - 1)) - addr;
    const auto room = static_cast<std::size_t>(end - last);
    if (pad > room || size > room - pad) return nullptr;
    char* p = last + pad;
    last = p + size;
    return p;
  }
};

// A large allocation (ngx_pool_large_t). alloc == nullptr marks a node freed by free_large(),
// which a later large allocation may take over.
struct Pool::Large {
  Large* next;
  void* alloc;
  std::size_t size;  // bytes actually requested from malloc, for bytes_reserved()
};

// A cleanup record (ngx_pool_cleanup_t).
struct Pool::Cleanup {
  void (*handler)(void*);
  void* data;
  Cleanup* next;
};

namespace {

// What malloc guarantees, hence what every block's start and every default request gets.
constexpr std::size_t kBaseAlign = alignof(std::max_align_t);
// The header rounded up so that the first byte of data is kBaseAlign-aligned.
constexpr std::size_t kHeaderSize =
    (sizeof(void*) * 3 + sizeof(std::size_t) + kBaseAlign - 1) & ~(kBaseAlign - 1);
// Smallest block accepted: below this the header and large/cleanup records eat the block.
constexpr std::size_t kMinBlockSize = 256;
// NGX_MAX_ALLOC_FROM_POOL (ngx_pagesize - 1): bigger requests are not worth a block's room
// and go to the large list, where they can be freed early.
constexpr std::size_t kMaxAllocFromPool = 4095;
// nginx ngx_palloc_block: `if (p->d.failed++ > 4) pool->current = p->d.next;` — a block that
// failed more than 4 times is nearly full, so searching it again is wasted time.
constexpr std::size_t kMaxFailed = 4;
// nginx ngx_palloc_large: `if (n++ > 3) break;` looks at the first 5 nodes for a freed one
// before adding a node. Bounded so a long large list never costs a full walk.
constexpr std::size_t kLargeNodeScan = 5;

}  // namespace

Pool::Pool(std::size_t block_size, std::pmr::memory_resource* blocks)
    : block_size_(std::max(block_size, kMinBlockSize)),
      blocks_(blocks),
      max_small_(std::min(block_size_ - kHeaderSize, kMaxAllocFromPool)) {
  static_assert(kHeaderSize >= sizeof(Block) && kHeaderSize % kBaseAlign == 0);
  first_ = current_ = new_block();
  if (first_ == nullptr) throw std::bad_alloc();
}

Pool::~Pool() {
  // nginx ngx_destroy_pool order: cleanups first (their data may live in the pool), then
  // large allocations, then the blocks that held everything else.
  run_cleanups();
  free_all_large();
  for (Block* b = first_; b != nullptr;) {
    Block* next = b->next;
    if (blocks_ != nullptr) {
      blocks_->deallocate(b, block_size_, kBaseAlign);
    } else {
      std::free(b);
    }
    b = next;
  }
}

void* Pool::alloc(std::size_t size, std::size_t align) noexcept {
  if (!std::has_single_bit(align)) return nullptr;
  if (size == 0) size = 1;  // a distinct non-null pointer, as operator new gives
  return fits_small(size, align) ? alloc_small(size, align) : alloc_large(size, align);
}

bool Pool::free_large(void* p) noexcept {
  if (p == nullptr) return false;
  for (Large* l = large_; l != nullptr; l = l->next) {
    if (l->alloc == p) {
      std::free(p);
      l->alloc = nullptr;
      --large_count_;
      large_bytes_ -= std::exchange(l->size, 0);
      return true;
    }
  }
  return false;
}

void Pool::add_cleanup(void (*handler)(void*), void* data) {
  void* mem = alloc_small(sizeof(Cleanup), alignof(Cleanup));
  if (mem == nullptr) throw std::bad_alloc();
  cleanup_ = ::new (mem) Cleanup{handler, data, cleanup_};
}

void Pool::reset() noexcept {
  // nginx's ngx_reset_pool leaves cleanups alone; here they run, because their records live
  // in the blocks we are about to rewind and would otherwise be overwritten unrun.
  run_cleanups();
  free_all_large();
  for (Block* b = first_; b != nullptr; b = b->next) {
    b->last = reinterpret_cast<char*>(b) + kHeaderSize;
    b->failed = 0;
  }
  current_ = first_;
}

void* Pool::do_allocate(std::size_t bytes, std::size_t align) {
  void* p = alloc(bytes, align);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void Pool::do_deallocate(void* p, std::size_t, std::size_t) {
  // Large: returned to malloc now. Small: nothing to do, the block goes with the pool.
  free_large(p);
}

Pool::Block* Pool::new_block() noexcept {
  void* mem = nullptr;  // malloc alignment is kBaseAlign
  if (blocks_ == nullptr) {
    mem = std::malloc(block_size_);
  } else {
    try {
      mem = blocks_->allocate(block_size_, kBaseAlign);
    } catch (const std::bad_alloc&) {
      return nullptr;
    }
  }
  if (mem == nullptr) return nullptr;
  char* base = static_cast<char*>(mem);
  ++block_count_;
  return ::new (mem) Block{nullptr, base + kHeaderSize, base + block_size_, 0};
}

// Small if the size is within max_small() and, with the worst padding an over-aligned request
// can need, it still fits a fresh block; otherwise the request could never be served from a
// block and goes to the large list (which aligns with aligned_alloc).
bool Pool::fits_small(std::size_t size, std::size_t align) const noexcept {
  const std::size_t worst_pad = align > kBaseAlign ? align - kBaseAlign : 0;
  return size <= max_small_ && worst_pad <= block_size_ - kHeaderSize - size;
}

// ngx_palloc_small: first fit from `current_` on, else a new block.
void* Pool::alloc_small(std::size_t size, std::size_t align) noexcept {
  for (Block* b = current_; b != nullptr; b = b->next) {
    if (void* p = b->try_alloc(size, align)) return p;
  }
  return alloc_from_new_block(size, align);
}

// ngx_palloc_block: every block from `current_` to the tail failed this request; count it, and
// move `current_` past blocks that failed too often. New blocks go at the tail.
void* Pool::alloc_from_new_block(std::size_t size, std::size_t align) noexcept {
  Block* fresh = new_block();
  if (fresh == nullptr) return nullptr;
  void* p = fresh->try_alloc(size, align);  // cannot fail: fits_small() allowed for a fresh block
  Block* b = current_;
  for (; b->next != nullptr; b = b->next) {
    if (b->failed++ > kMaxFailed) current_ = b->next;
  }
  b->next = fresh;
  return p;
}

// ngx_palloc_large: its own malloc, recorded in a node that lives in the pool. A node freed by
// free_large() among the first kLargeNodeScan is reused, so alloc/free cycles (a growing
// pmr::vector) do not add a node each time.
void* Pool::alloc_large(std::size_t size, std::size_t align) noexcept {
  const std::size_t a = std::max(align, kBaseAlign);
  if (size > std::numeric_limits<std::size_t>::max() - (a - 1)) return nullptr;
  const std::size_t rounded = (size + a - 1) & ~(a - 1);  // aligned_alloc wants a multiple
  void* p = std::aligned_alloc(a, rounded);
  if (p == nullptr) return nullptr;
  Large* node = reusable_large_node();
  if (node == nullptr) {
    void* mem = alloc_small(sizeof(Large), alignof(Large));
    if (mem == nullptr) {
      std::free(p);
      return nullptr;
    }
    node = large_ = ::new (mem) Large{large_, nullptr, 0};
  }
  node->alloc = p;
  node->size = rounded;
  ++large_count_;
  large_bytes_ += rounded;
  return p;
}

Pool::Large* Pool::reusable_large_node() const noexcept {
  Large* l = large_;
  for (std::size_t n = 0; l != nullptr && n < kLargeNodeScan; l = l->next, ++n) {
    if (l->alloc == nullptr) return l;
  }
  return nullptr;
}

void Pool::run_cleanups() noexcept {
  // Detach first: the list is forgotten even if a handler looks at the pool.
  for (Cleanup* c = std::exchange(cleanup_, nullptr); c != nullptr; c = c->next) {
    c->handler(c->data);
  }
}

void Pool::free_all_large() noexcept {
  for (Large* l = large_; l != nullptr; l = l->next) {
    std::free(l->alloc);  // nullptr for nodes free_large() emptied: a no-op
  }
  large_ = nullptr;
  large_count_ = 0;
  large_bytes_ = 0;
}

}  // namespace kit
