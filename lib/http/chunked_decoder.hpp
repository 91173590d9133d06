// ChunkedDecoder: resumable decoder of the chunked transfer coding (RFC 9112 §7.1), an
// explicit state machine like the request parser: feed it whatever bytes arrived, it hands
// back pieces of body data as views into those bytes (no copy) and remembers where it
// stopped. Chunk extensions are skipped; trailer fields are read and dropped.
// nginx counterpart: ngx_http_parse_chunked(). Introduced in chapter 00 (servers read and
// discard request bodies so keep-alive survives a POST). Alternative not taken: decoding into
// a new buffer (a copy of every body byte).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kit::http {

enum class ChunkStatus {
  kData,        // `data` holds body bytes (may be called again with the rest of the input)
  kIncomplete,  // all of the input was consumed; feed more
  kComplete,    // last-chunk and trailers read: the body has ended
  kBad,         // malformed (bad hex, missing CRLF, size overflow, body over the limit)
};

struct ChunkStep {
  ChunkStatus status = ChunkStatus::kIncomplete;
  size_t consumed = 0;    // bytes of the input used by this step; advance past them
  std::string_view data;  // body bytes when status == kData (a view into the input)
};

class ChunkedDecoder {
 public:
  // Bodies larger than `max_body` are kBad (nginx client_max_body_size, default 1m → 413).
  explicit ChunkedDecoder(uint64_t max_body = 1024 * 1024) : max_body_(max_body) {}

  // Decodes from the start of `input`. Loop: step = next(in); in.remove_prefix(step.consumed).
  ChunkStep next(std::string_view input);

  [[nodiscard]] uint64_t body_bytes() const { return body_bytes_; }
  // After kBad: 413 when the body exceeded max_body, else 400.
  [[nodiscard]] int error_status() const { return error_status_; }
  void reset();

 private:
  int state_ = 0;  // a private enum class in the .cpp
  uint64_t max_body_;
  uint64_t chunk_left_ = 0;
  uint64_t body_bytes_ = 0;
  size_t line_bytes_ = 0;  // bytes in the current size/trailer line, against an 8 KiB limit
  int error_status_ = 0;
};

}  // namespace kit::http
