// ResponseReader: finds where one HTTP/1.1 response ends in a byte stream, resumably — the
// client-side mirror of the server's request parser. Framing per RFC 9112 §6.3: no body for
// 1xx/204/304, else chunked (through the kit's own ChunkedDecoder), else Content-Length, else
// until the server closes. The loadgen does not keep bodies; it only needs the status and the
// end, so a response costs a scan of its head and a countdown of its body.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "http/chunked_decoder.hpp"

namespace kit::bench {

class ResponseReader {
 public:
  enum class Status { kNeedMore, kComplete, kBad };
  struct Step {
    Status status = Status::kNeedMore;
    size_t consumed = 0;  // bytes of the input that belonged to this response
  };

  // Feed the bytes that arrived; on kComplete the rest of the input is the next response.
  Step feed(std::string_view input);
  // The server closed the connection: completes a close-delimited body, otherwise kBad.
  Status on_eof();

  [[nodiscard]] int status_code() const { return status_code_; }
  // The server said it will close after this response (Connection: close, or HTTP/1.0).
  [[nodiscard]] bool server_closes() const { return server_closes_; }
  [[nodiscard]] uint64_t body_bytes() const { return body_bytes_; }
  // True once any byte of the response has arrived (an EOF before that is a clean close).
  [[nodiscard]] bool started() const { return state_ != State::kHead || !head_.empty(); }
  void reset();

 private:
  enum class State { kHead, kLengthBody, kChunkedBody, kUntilClose, kDone };
  bool parse_head(std::string_view head);  // the complete head, up to its empty line

  State state_ = State::kHead;
  std::string head_;  // the head, collected until the empty line (bounded)
  int status_code_ = 0;
  bool server_closes_ = false;
  uint64_t left_ = 0;
  uint64_t body_bytes_ = 0;
  http::ChunkedDecoder chunked_{UINT64_MAX / 2};
};

}  // namespace kit::bench
