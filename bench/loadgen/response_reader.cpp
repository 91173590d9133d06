#include "response_reader.hpp"

#include <algorithm>
#include <charconv>

#include "http/request_head.hpp"

namespace kit::bench {
namespace {

constexpr size_t kMaxHead = 64 * 1024;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool contains_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    if (http::iequals(trim(list.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

void ResponseReader::reset() {
  state_ = State::kHead;
  head_.clear();
  status_code_ = 0;
  server_closes_ = false;
  left_ = body_bytes_ = 0;
  chunked_.reset();
}

ResponseReader::Step ResponseReader::feed(std::string_view input) {
  size_t used = 0;
  if (state_ == State::kHead && head_.empty()) {
    // Common case: the whole head arrived in this read. Parse it in place, no copy.
    const size_t end = input.find("\r\n\r\n");
    if (end != std::string_view::npos && end + 4 <= kMaxHead) {
      used = end + 4;
      if (!parse_head(input.substr(0, used))) return {Status::kBad, used};
    }
  }
  if (state_ == State::kHead) {
    // Append up to the end of the head; look for CRLFCRLF only around the new bytes.
    const size_t before = head_.size();
    head_.append(input.substr(0, std::min(input.size(), kMaxHead - before + 1)));
    const size_t from = before >= 3 ? before - 3 : 0;
    const size_t end = head_.find("\r\n\r\n", from);
    if (end == std::string::npos) {
      if (head_.size() > kMaxHead) return {Status::kBad, input.size()};
      return {Status::kNeedMore, input.size()};
    }
    used = end + 4 - before;
    head_.resize(end + 4);
    if (!parse_head(head_)) return {Status::kBad, used};
  }
  input.remove_prefix(used);
  switch (state_) {
    case State::kHead:
      return {Status::kBad, used};
    case State::kDone:
      return {Status::kComplete, used};
    case State::kLengthBody: {
      const auto n = static_cast<size_t>(std::min<uint64_t>(left_, input.size()));
      left_ -= n;
      body_bytes_ += n;
      if (left_ == 0) state_ = State::kDone;
      return {left_ == 0 ? Status::kComplete : Status::kNeedMore, used + n};
    }
    case State::kUntilClose:
      body_bytes_ += input.size();
      return {Status::kNeedMore, used + input.size()};
    case State::kChunkedBody:
      for (;;) {
        const http::ChunkStep step = chunked_.next(input);
        input.remove_prefix(step.consumed);
        used += step.consumed;
        body_bytes_ += step.data.size();
        if (step.status == http::ChunkStatus::kData) continue;
        if (step.status == http::ChunkStatus::kIncomplete) return {Status::kNeedMore, used};
        if (step.status == http::ChunkStatus::kBad) return {Status::kBad, used};
        state_ = State::kDone;
        return {Status::kComplete, used};
      }
  }
  return {Status::kBad, used};
}

ResponseReader::Status ResponseReader::on_eof() {
  if (state_ == State::kUntilClose) {
    state_ = State::kDone;
    return Status::kComplete;
  }
  return state_ == State::kDone ? Status::kComplete : Status::kBad;
}

// "HTTP/1.1 200 OK" then fields; decides how the body is framed.
bool ResponseReader::parse_head(std::string_view head) {
  const size_t eol = head.find("\r\n");
  const std::string_view status_line = head.substr(0, eol);
  if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." || status_line[8] != ' ') {
    return false;
  }
  const bool http10 = status_line[7] == '0';
  auto [p, ec] = std::from_chars(status_line.data() + 9, status_line.data() + 12, status_code_);
  if (ec != std::errc() || p != status_line.data() + 12) return false;

  bool chunked = false, have_length = false, keep_alive = false, close = false;
  uint64_t length = 0;
  head.remove_prefix(eol + 2);
  while (!head.empty()) {
    const size_t line_end = head.find("\r\n");
    const std::string_view line = head.substr(0, line_end);
    head.remove_prefix(line_end == std::string_view::npos ? head.size() : line_end + 2);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (http::iequals(name, "Content-Length")) {
      auto [q, e] = std::from_chars(value.data(), value.data() + value.size(), length);
      if (e != std::errc() || q != value.data() + value.size()) return false;
      have_length = true;
    } else if (http::iequals(name, "Transfer-Encoding")) {
      chunked = contains_token(value, "chunked");
    } else if (http::iequals(name, "Connection")) {
      close = close || contains_token(value, "close");
      keep_alive = keep_alive || contains_token(value, "keep-alive");
    }
  }
  server_closes_ = close || (http10 && !keep_alive);
  if (status_code_ < 200 || status_code_ == 204 || status_code_ == 304) {
    state_ = State::kDone;
  } else if (chunked) {
    state_ = State::kChunkedBody;
  } else if (have_length) {
    left_ = length;
    state_ = length == 0 ? State::kDone : State::kLengthBody;
  } else {
    state_ = State::kUntilClose;
    server_closes_ = true;
  }
  return true;
}

}  // namespace kit::bench
