// sendfile_some(): one sendfile(2) — bytes go from the page cache to the socket without
// passing through the server's memory (no read() into a buffer, no copy back out with send()).
// Classified like the other I/O wrappers (net/io.hpp): EINTR retried, EAGAIN → kAgain,
// ECONNRESET/EPIPE → kClosed. A result of kOk with 0 bytes while `count` > 0 means the file
// ended before the offset + count the caller expected: it was truncated.
// Linux-only, hence its own file. nginx counterpart: ngx_linux_sendfile() in
// ngx_linux_sendfile_chain.c. Introduced in chapter 12. Alternatives not taken: mmap + write
// (a page fault per page and SIGBUS if the file shrinks), splice through a pipe (two calls).
#pragma once

#include <cstddef>
#include <cstdint>

#include "net/io.hpp"

namespace kit {

// Sends up to `count` bytes of `file` from `offset` to the socket `sock`.
IoResult sendfile_some(int sock, int file, uint64_t offset, size_t count);

}  // namespace kit
