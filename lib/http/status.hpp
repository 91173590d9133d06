// HTTP status codes the kit sends and their reason phrases (RFC 9110 §15).
// nginx counterpart: ngx_http_status_lines[]. Introduced in chapter 00.
#pragma once

#include <string_view>

namespace kit::http {

// "Not Found" for 404; "Unknown" for a code the kit never sends.
[[nodiscard]] std::string_view reason_phrase(int status);

}  // namespace kit::http
