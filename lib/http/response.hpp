// Response: everything a server needs to send one answer — the serialised head, and a body
// that is either in memory (error pages, redirects) or a byte range of an open file.
// Owns the file descriptor of the file body (closed when the response is destroyed).
// nginx counterpart: the ngx_chain_t of ngx_buf_t (memory or file) handed to the output
// filter. Introduced in chapter 00; chapter 12 sends `file` with sendfile(2).
#pragma once

#include <cstdint>
#include <memory_resource>
#include <optional>
#include <string>

#include "core/fd.hpp"

namespace kit::http {

struct FileBody {
  Fd file;
  uint64_t offset = 0;
  uint64_t length = 0;
};

struct Response {
  Response() = default;
  // The head is built in `mem` (chapter 09: the request pool).
  explicit Response(std::pmr::memory_resource* mem) : head(mem) {}

  int status = 200;
  std::pmr::string head;         // status line + fields + empty line, ready to send
  std::string body;              // in-memory body; empty when `file` is set or for HEAD
  std::optional<FileBody> file;  // the file range to send after `head`
  bool keep_alive = true;        // whether the connection stays open after this response
};

}  // namespace kit::http
