// Response: everything a server needs to send one answer — the serialised head, and a body
// that is either in memory (error pages, redirects, chapter 12's small cached files) or a byte
// range of an open file.
// Owns the file descriptor of the file body (closed when the response is destroyed), or shares
// it — and a cached body — with chapter 12's open-file cache, which may drop its entry while
// the response is still being sent. nginx counterpart: the ngx_chain_t of ngx_buf_t (memory
// or file) handed to the output filter. Introduced in chapter 00; chapter 12 sends `file` with
// sendfile(2) and adds the shared forms.
#pragma once

#include <cstdint>
#include <memory>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>

#include "core/fd.hpp"

namespace kit::http {

struct FileBody {
  Fd file;                           // owned (chapters 00-11) ...
  std::shared_ptr<const Fd> cached;  // ... or held open by the open-file cache (chapter 12)
  uint64_t offset = 0;
  uint64_t length = 0;

  [[nodiscard]] int fd() const { return cached ? cached->get() : file.get(); }
};

struct Response {
  Response() = default;
  // The head is built in `mem` (chapter 09: the request pool).
  explicit Response(std::pmr::memory_resource* mem) : head(mem) {}

  int status = 200;
  std::pmr::string head;  // status line + fields + empty line, ready to send
  std::string body;       // in-memory body; empty when `file` is set or for HEAD
  // Chapter 12: a small file's bytes as the open-file cache holds them, sent in place of
  // `body` without a copy per request.
  std::shared_ptr<const std::string> cached_body;
  std::optional<FileBody> file;  // the file range to send after `head`
  bool keep_alive = true;        // whether the connection stays open after this response

  [[nodiscard]] std::string_view memory_body() const {
    return cached_body ? std::string_view(*cached_body) : std::string_view(body);
  }
};

}  // namespace kit::http
