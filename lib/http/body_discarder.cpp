#include "http/body_discarder.hpp"

#include <algorithm>

namespace kit::http {

BodyDiscarder::BodyDiscarder(const RequestHead& head, uint64_t max_body)
    : framing_(head.framing), chunked_(max_body) {
  if (framing_ == BodyFraming::kContentLength) {
    left_ = head.content_length;
    // Refused before reading a byte of it, as nginx does when Content-Length is too large.
    too_large_ = head.content_length > max_body;
  }
}

BodyDiscarder::Step BodyDiscarder::feed(std::string_view input) {
  switch (framing_) {
    case BodyFraming::kNone:
      return {Status::kDone, 0};
    case BodyFraming::kContentLength: {
      if (too_large_) return {Status::kTooLarge, 0};
      const size_t n = static_cast<size_t>(std::min<uint64_t>(left_, input.size()));
      left_ -= n;
      return {left_ == 0 ? Status::kDone : Status::kNeedMore, n};
    }
    case BodyFraming::kChunked:
      break;
  }
  size_t used = 0;
  for (;;) {
    ChunkStep step = chunked_.next(input.substr(used));
    used += step.consumed;
    switch (step.status) {
      case ChunkStatus::kData:
        continue;  // discarded: we only needed to find where the body ends
      case ChunkStatus::kIncomplete:
        return {Status::kNeedMore, used};
      case ChunkStatus::kComplete:
        return {Status::kDone, used};
      case ChunkStatus::kBad:
        return {chunked_.error_status() == 413 ? Status::kTooLarge : Status::kBad, used};
    }
  }
}

}  // namespace kit::http
