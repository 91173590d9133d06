// AcceptModes: chapter 11's four ways for workers to share the listening socket, as the hooks
// of a MasterChapter, so that chapter 11 and every later master/worker chapter take them by
// name:
//
//   (a) none       accept_mutex off;            every worker watches the socket (chapter 10)
//   (b) mutex      accept_mutex on;             nginx's accept mutex in shared memory
//   (c) exclusive  listen 8080 exclusive;       EPOLLEXCLUSIVE: the kernel wakes one waiter
//   (d) reuseport  listen 8080 reuseport;       SO_REUSEPORT: a socket per worker
//
// chosen in nginx.conf, or with --accept when there is no file. In every mode a full or
// fd-starved worker takes the socket out of its epoll set (AcceptOptions::pause).
// Owns the accept mutex, mapped shared before the master forks. nginx counterpart:
// ngx_event_process_init()'s choice of ngx_use_accept_mutex, ngx_event_accept(), the
// `reuseport` and `exclusive` listen flags. Introduced in chapter 11 (moved out of its main.cpp
// in chapter 12).
#pragma once

#include <string>

#include "process/master_main.hpp"
#include "process/shared_memory.hpp"
#include "sync/accept_mutex.hpp"

namespace kit {

struct AcceptModes {
  SharedObject<AcceptMutex> mutex;  // every worker of every generation sees this word
  std::string mode = "none";        // --accept, without -c
};

// Sets chapter's add_options, apply_flags, check_supported, configure_worker and
// on_worker_exit; `modes` must outlive master_main().
void use_accept_modes(MasterChapter& chapter, AcceptModes& modes);

}  // namespace kit
