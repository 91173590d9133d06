// File extension → Content-Type, for the types a static site serves (a subset of nginx's
// conf/mime.types); unknown extensions are "application/octet-stream" like nginx's
// default_type. Text types carry "; charset=utf-8". Introduced in chapter 00.
#pragma once

#include <string_view>

namespace kit::http {

[[nodiscard]] std::string_view mime_type_for(std::string_view path);

}  // namespace kit::http
