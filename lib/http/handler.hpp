// Handler: what answers a parsed request — the content phase of a request, after the head is
// read and before the response is sent. The event loops (chapters 07+) hold one by reference
// and never learn what kind of content it serves.
// Invariant: respond() does not keep references into the request after it returns; the
// Response owns (or shares) everything it points to.
// nginx counterpart: r->content_handler / the NGX_HTTP_CONTENT_PHASE handlers
// (ngx_http_static_handler, ngx_http_index_handler). Introduced in chapter 12, where a second
// static handler (locations, validators, ranges, an open-file cache) joins chapter 00's
// StaticSite. Alternative not taken: a template parameter on the event loop (every chapter
// would compile its own copy of the loop for one virtual call per request).
#pragma once

#include <memory_resource>
#include <string_view>

#include "http/request_head.hpp"
#include "http/response.hpp"

namespace kit::http {

class Handler {
 public:
  virtual ~Handler() = default;
  // `date` is the current HTTP date (DateCache); everything built per request is allocated
  // from `mem` (chapter 09: the request pool). The Response's keep_alive starts from
  // request.keep_alive.
  [[nodiscard]] virtual Response respond(const RequestHead& request, std::string_view date,
                                         std::pmr::memory_resource* mem) const = 0;
};

}  // namespace kit::http
