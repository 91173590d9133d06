#include "http/chunked_decoder.hpp"

#include <algorithm>

namespace kit::http {
namespace {

// chunked-body = *chunk last-chunk trailer-section CRLF (RFC 9112 §7.1).
// One state per place the decoder can stop; nginx's ngx_http_parse_chunked() has the same
// shape (sw_chunk_start, sw_chunk_size, sw_chunk_extension, ..., sw_trailer).
enum class State {
  kSizeStart,  // first hex digit of a chunk size expected
  kSize,       // more hex digits, or the end of the size
  kSizeWs,     // whitespace after the size (BWS before ';' is tolerated)
  kExtension,  // ";name=value" chunk extensions: skipped
  kSizeLf,     // CR after the size line seen, LF expected
  kData,       // chunk_left_ bytes of data
  kDataCr,     // CRLF after the data expected
  kDataLf,
  kTrailerStart,  // start of a trailer line, or of the final empty line
  kTrailer,       // inside a trailer field line: dropped
  kTrailerLf,
  kFinalLf,  // CR of the final empty line seen, LF expected
  kDone,
  kBad,
};

// 8 KiB per size line and for the whole trailer section: enough for any honest client.
constexpr size_t kMaxLineBytes = 8 * 1024;
// A size with more hex digits than this would overflow 60 bits: nobody sends that honestly.
constexpr uint64_t kMaxChunkSize = uint64_t{1} << 60;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void ChunkedDecoder::reset() {
  state_ = static_cast<int>(State::kSizeStart);
  chunk_left_ = body_bytes_ = 0;
  line_bytes_ = 0;
  error_status_ = 0;
}

ChunkStep ChunkedDecoder::next(std::string_view input) {
  auto bad = [&](size_t at, int status) {
    state_ = static_cast<int>(State::kBad);
    error_status_ = status;
    return ChunkStep{ChunkStatus::kBad, at, {}};
  };
  for (size_t i = 0; i < input.size(); ++i) {
    const char c = input[i];
    const auto state = static_cast<State>(state_);
    if (state != State::kData && state != State::kDone && state != State::kBad &&
        ++line_bytes_ > kMaxLineBytes) {
      return bad(i, 400);
    }
    switch (state) {
      case State::kSizeStart:
      case State::kSize: {
        const int digit = hex_value(c);
        if (digit >= 0) {
          if (chunk_left_ >= kMaxChunkSize / 16) return bad(i, 400);
          chunk_left_ = chunk_left_ * 16 + static_cast<uint64_t>(digit);
          state_ = static_cast<int>(State::kSize);
        } else if (state == State::kSizeStart) {
          return bad(i, 400);  // no digits at all
        } else if (c == ';') {
          state_ = static_cast<int>(State::kExtension);
        } else if (c == ' ' || c == '\t') {
          state_ = static_cast<int>(State::kSizeWs);
        } else if (c == '\r') {
          state_ = static_cast<int>(State::kSizeLf);
        } else {
          return bad(i, 400);
        }
        break;
      }
      case State::kSizeWs:
        if (c == ';') {
          state_ = static_cast<int>(State::kExtension);
        } else if (c == '\r') {
          state_ = static_cast<int>(State::kSizeLf);
        } else if (c != ' ' && c != '\t') {
          return bad(i, 400);
        }
        break;
      case State::kExtension:
        if (c == '\r') {
          state_ = static_cast<int>(State::kSizeLf);
        } else if (c == '\n' || (static_cast<unsigned char>(c) < 0x20 && c != '\t')) {
          return bad(i, 400);
        }
        break;
      case State::kSizeLf:
        if (c != '\n') return bad(i, 400);
        line_bytes_ = 0;
        if (chunk_left_ == 0) {
          state_ = static_cast<int>(State::kTrailerStart);  // last-chunk
        } else {
          if (body_bytes_ + chunk_left_ > max_body_) return bad(i, 413);
          state_ = static_cast<int>(State::kData);
        }
        break;
      case State::kData: {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(chunk_left_, input.size() - i));
        chunk_left_ -= n;
        body_bytes_ += n;
        if (chunk_left_ == 0) state_ = static_cast<int>(State::kDataCr);
        return {ChunkStatus::kData, i + n, input.substr(i, n)};
      }
      case State::kDataCr:
        if (c != '\r') return bad(i, 400);
        state_ = static_cast<int>(State::kDataLf);
        break;
      case State::kDataLf:
        if (c != '\n') return bad(i, 400);
        line_bytes_ = 0;
        state_ = static_cast<int>(State::kSizeStart);
        break;
      case State::kTrailerStart:
        if (c == '\r') {
          state_ = static_cast<int>(State::kFinalLf);
        } else if (c == '\n') {
          return bad(i, 400);
        } else {
          state_ = static_cast<int>(State::kTrailer);
        }
        break;
      case State::kTrailer:
        if (c == '\r')
          state_ = static_cast<int>(State::kTrailerLf);
        else if (c == '\n')
          return bad(i, 400);  // bare LF: be strict, it frames the body
        break;
      case State::kTrailerLf:
        if (c != '\n') return bad(i, 400);
        state_ = static_cast<int>(State::kTrailerStart);
        break;
      case State::kFinalLf:
        if (c != '\n') return bad(i, 400);
        state_ = static_cast<int>(State::kDone);
        return {ChunkStatus::kComplete, i + 1, {}};
      case State::kDone:
        return {ChunkStatus::kComplete, 0, {}};
      case State::kBad:
        return {ChunkStatus::kBad, 0, {}};
    }
  }
  switch (static_cast<State>(state_)) {
    case State::kDone:
      return {ChunkStatus::kComplete, 0, {}};
    case State::kBad:
      return {ChunkStatus::kBad, 0, {}};
    default:
      return {ChunkStatus::kIncomplete, input.size(), {}};
  }
}

}  // namespace kit::http
