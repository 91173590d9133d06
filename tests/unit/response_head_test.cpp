// lib/http/response_head.hpp and lib/http/status.hpp
#include "http/response_head.hpp"

#include <catch2/catch.hpp>

#include "http/status.hpp"

TEST_CASE("a response head is status line, Server, Date, fields, Connection, empty line",
          "[ch00][response_head]") {
  std::pmr::string out = "left over from before";
  kit::http::ResponseHead(out, 200, "Thu, 26 Nov 2026 12:00:00 GMT")
      .field("Content-Type", "text/plain")
      .field("Content-Length", uint64_t{18446744073709551615U})
      .finish(true);
  CHECK(out ==
        "HTTP/1.1 200 OK\r\nServer: c10k-kit\r\nDate: Thu, 26 Nov 2026 12:00:00 GMT\r\n"
        "Content-Type: text/plain\r\nContent-Length: 18446744073709551615\r\n"
        "Connection: keep-alive\r\n\r\n");
  kit::http::ResponseHead(out, 404, "D").finish(false);
  CHECK(out ==
        "HTTP/1.1 404 Not Found\r\nServer: c10k-kit\r\nDate: D\r\nConnection: close\r\n\r\n");
}

TEST_CASE("reason phrases", "[ch00][response_head]") {
  CHECK(kit::http::reason_phrase(431) == "Request Header Fields Too Large");
  CHECK(kit::http::reason_phrase(505) == "HTTP Version Not Supported");
  CHECK(kit::http::reason_phrase(299) == "Unknown");
}
