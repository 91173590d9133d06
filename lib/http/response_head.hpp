// ResponseHead: writes a response's status line and header fields into a string, in one
// place for every chapter, so every chapter sends the same bytes for the same request:
//   HTTP/1.1 200 OK\r\n Server: c10k-kit\r\n Date: ...\r\n <fields>\r\n Connection: ...\r\n \r\n
// nginx counterpart: ngx_http_header_filter(). Introduced in chapter 00.
// Alternative not taken: a map of fields serialised later (an allocation per field).
#pragma once

#include <cstdint>
#include <memory_resource>
#include <string>
#include <string_view>

namespace kit::http {

inline constexpr std::string_view kServerName = "c10k-kit";

class ResponseHead {
 public:
  // Starts `out` (cleared first) with the status line, Server and Date.
  ResponseHead(std::pmr::string& out, int status, std::string_view http_date);

  ResponseHead& field(std::string_view name, std::string_view value);
  ResponseHead& field(std::string_view name, uint64_t value);

  // Appends "Connection: keep-alive|close" and the empty line that ends the head.
  void finish(bool keep_alive);

 private:
  void field_value(uint64_t value);

  std::pmr::string& out_;
};

}  // namespace kit::http
