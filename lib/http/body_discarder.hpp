// BodyDiscarder: reads past a request body the server does not want (a static site accepts
// none), so the connection can stay alive for the next request. Feed it the bytes after the
// head as they arrive; it says how many belonged to the body and when the body ended.
// Content-Length bodies are counted down; chunked bodies go through the ChunkedDecoder.
// Bodies over max_body → kTooLarge (413, then close), malformed chunking → kBad (400).
// nginx counterpart: ngx_http_discard_request_body() / ngx_http_discard_request_body_filter().
// Introduced in chapter 00.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/chunked_decoder.hpp"
#include "http/request_head.hpp"

namespace kit::http {

class BodyDiscarder {
 public:
  enum class Status { kNeedMore, kDone, kTooLarge, kBad };
  struct Step {
    Status status = Status::kNeedMore;
    size_t consumed = 0;  // bytes at the front of the input that were body
  };

  // nginx client_max_body_size default: 1m.
  static constexpr uint64_t kDefaultMaxBody = 1024 * 1024;

  explicit BodyDiscarder(const RequestHead& head, uint64_t max_body = kDefaultMaxBody);

  Step feed(std::string_view input);

 private:
  BodyFraming framing_;
  uint64_t left_ = 0;  // Content-Length bytes still to skip
  bool too_large_ = false;
  ChunkedDecoder chunked_;
};

}  // namespace kit::http
