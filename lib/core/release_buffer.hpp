// release_buffer(): gives a string's heap memory back to the allocator it came from.
// Why not `s = std::string()` or `s.clear()`: neither frees anything in libstdc++ — clear()
// keeps the capacity, and move-assigning an empty (in-object) string copies its zero bytes
// into the existing heap buffer. Swapping with a fresh string (same allocator: for a
// std::pmr::string, the same pool) does free it. Used when a connection goes idle, so 10,000
// idle keep-alive connections do not keep 10,000 read buffers (nginx frees c->buffer in
// ngx_http_set_keepalive()). Introduced in chapter 04.
#pragma once

#include <string>

namespace kit {

template <typename Allocator>
void release_buffer(std::basic_string<char, std::char_traits<char>, Allocator>& s) {
  std::basic_string<char, std::char_traits<char>, Allocator>(s.get_allocator()).swap(s);
}

}  // namespace kit
