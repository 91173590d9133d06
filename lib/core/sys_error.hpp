// Set-up errors: a failed syscall becomes a std::system_error whose message names the call
// and carries errno's text, e.g. "bind(127.0.0.1:80) failed: Permission denied".
// Invariant: only set-up paths (bind, listen, fork, config) throw; the hot path returns
// IoStatus instead (lib/net/io.hpp). nginx counterpart: ngx_log_error(NGX_LOG_EMERG, ...,
// ngx_errno, "bind() to %V failed") followed by returning NGX_ERROR up to main. Introduced in
// chapter 00.
#pragma once

#include <string>
#include <string_view>
#include <system_error>

namespace kit {

// errno's text for `err`, thread-safe (strerror_r, not strerror).
std::string errno_text(int err);

// Throws std::system_error(err); what() reads "<what> failed (errno N): <errno text>". `what` names
// the syscall and its argument, nginx style: "listen(0.0.0.0:8080)".
[[noreturn]] void throw_sys_error(std::string_view what, int err);

// Same, reading errno.
[[noreturn]] void throw_sys_error(std::string_view what);

}  // namespace kit
