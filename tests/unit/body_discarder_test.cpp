// lib/http/body_discarder.hpp: reading past a body the static server does not want, and
// refusing one larger than client_max_body_size (413) before reading it.
#include "http/body_discarder.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace {

using kit::http::BodyDiscarder;
using Status = BodyDiscarder::Status;

kit::http::RequestHead content_length_head(uint64_t length) {
  kit::http::RequestHead head;
  head.framing = kit::http::BodyFraming::kContentLength;
  head.content_length = length;
  return head;
}

}  // namespace

TEST_CASE("a Content-Length body is counted down, and what follows is not body",
          "[ch00][body_discarder]") {
  BodyDiscarder d(content_length_head(5));
  const auto first = d.feed("abc");
  CHECK(first.status == Status::kNeedMore);
  CHECK(first.consumed == 3);
  const auto rest = d.feed("deGET / HTTP/1.1\r\n");
  CHECK(rest.status == Status::kDone);
  CHECK(rest.consumed == 2);  // the next request's bytes stay in the buffer
}

TEST_CASE("a Content-Length over the limit is 413 before any of it is read",
          "[ch00][body_discarder]") {
  struct Row {
    uint64_t length, max;
    Status status;
  };
  const Row rows[] = {
      {1024 * 1024 + 1, BodyDiscarder::kDefaultMaxBody, Status::kTooLarge},
      {1024 * 1024, BodyDiscarder::kDefaultMaxBody, Status::kNeedMore},  // exactly the limit
      {11, 10, Status::kTooLarge},
      {UINT64_MAX, 10, Status::kTooLarge},
  };
  for (const Row& row : rows) {
    INFO("Content-Length " << row.length << ", limit " << row.max);
    BodyDiscarder d(content_length_head(row.length), row.max);
    const auto step = d.feed("x");
    CHECK(step.status == row.status);
    if (row.status == Status::kTooLarge) CHECK(step.consumed == 0);
  }
}
