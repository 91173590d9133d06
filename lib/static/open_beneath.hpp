// open_beneath(): opening a request's file below a document-root directory so that neither
// ".." nor a symlink can lead outside it (openat2 with RESOLVE_BENEATH), and what a failed
// open means to the client (status_for_open_error: 404, 403, 503, 500).
// Shared by chapter 00's StaticSite and chapter 12's StaticHandler and open-file cache.
// nginx counterpart: ngx_open_cached_file()'s open with `disable_symlinks`, and the errno →
// status mapping of ngx_http_static_handler(). Introduced in chapter 00 (moved here from
// static_file.cpp in chapter 12). Alternative not taken: realpath() + prefix check (a race
// between the check and the open).
#pragma once

namespace kit::http {

// Opens `relative` (no leading "/"; "" is the directory itself) read-only and non-blocking
// beneath `dir_fd`. Returns the fd or -1 with errno set.
[[nodiscard]] int open_beneath(int dir_fd, const char* relative);

// errno of a failed open → the status nginx answers.
[[nodiscard]] int status_for_open_error(int err);

}  // namespace kit::http
