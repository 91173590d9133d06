// run_worker(): a worker process's main loop — chapter 09's EventCycle, plus the signals the
// master sends: SIGQUIT stops accepting and lets in-flight requests finish (the worker exits
// when its last connection closes), SIGTERM exits at once. A signal interrupts epoll_wait;
// one that arrives just before it is noticed within kSignalCheck, since the wait is capped.
// nginx counterpart: ngx_worker_process_cycle() (ngx_exiting, ngx_terminate,
// ngx_close_idle_connections). Introduced in chapter 10.
#pragma once

#include <functional>

#include "cycle/event_cycle.hpp"

namespace kit {

// Returns the worker's exit code.
// `reopen` runs on SIGUSR1 (the access log's reopen()).
int run_worker(EventCycle& cycle, const std::function<void()>& reopen = {});

}  // namespace kit
