// TCP_CORK on and off around a response (nginx's `tcp_nopush on`): while corked the kernel
// sends only full segments, so the response head, written first, leaves in the same packet as
// the first bytes of the file sendfile(2) sends after it, instead of as a small packet of its
// own. Uncorking pushes what is left at once — needed before a keep-alive connection waits
// (TCP_NODELAY alone would not flush a corked socket).
// Hot path: failures are logged, not thrown (a connection still works without the cork).
// Linux-only. nginx counterpart: ngx_tcp_nopush() / ngx_tcp_push() (ngx_socket.c), called from
// ngx_linux_sendfile_chain() and ngx_http_set_keepalive(). Introduced in chapter 12.
// Alternative not taken: MSG_MORE on the head's send (one syscall fewer, but not what the
// tcp_nopush directive that operators tune does).
#pragma once

namespace kit {

// Returns false (after logging) if setsockopt failed.
bool tcp_nopush(int fd);
bool tcp_push(int fd);

}  // namespace kit
