// StaticLocation: one `location` block of the static server and the rule that picks it for a
// request path — nginx's, without regular expressions: an exact match (`location = /x`) wins,
// else the longest prefix, else the server itself (its root and index, as a prefix "/").
// A location maps the path to a file in one of three ways:
//
//   root /srv/www;        /img/a.png  → /srv/www/img/a.png      (path appended to root)
//   alias /data/images/;  /img/a.png  → /data/images/a.png       (prefix replaced)
//   location = /favicon.ico { alias /srv/icons/kit.ico; }         (exact: the file itself)
//
// Invariant: the file is always opened beneath dir_fd (open_beneath.hpp), so no request path
// can leave the directory — not even nginx's "alias without a trailing slash" traversal.
// Owns the directory fd. nginx counterpart: ngx_http_core_find_location() over the static
// location tree, ngx_http_map_uri_to_path(). Introduced in chapter 12. Alternative not taken:
// nginx's balanced tree of prefixes (a linear scan is as fast for the handful of locations a
// static site has).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/fd.hpp"

namespace kit::http {

struct StaticLocation {
  std::string path = "/";  // "/img/"; the server's own is "/"
  bool exact = false;
  std::string dir;  // root, or alias (a directory, or a file for an exact location)
  bool alias = false;
  std::string index = "index.html";

  // Opens dir (throws std::system_error naming it if it cannot be opened).
  void open();
  [[nodiscard]] int dir_fd() const { return dir_fd_.get(); }
  // The path below dir_fd for a request path this location matched ("" = the directory).
  [[nodiscard]] std::string_view relative(std::string_view request_path) const;

 private:
  Fd dir_fd_;         // root or alias directory; for an alias to a file, its parent
  std::string file_;  // alias to a file: its name in that parent
};

// The location for `path` (normalised, starting with "/"), or nullptr if none matches.
[[nodiscard]] const StaticLocation* find_location(std::span<const StaticLocation> locations,
                                                  std::string_view path);

}  // namespace kit::http
