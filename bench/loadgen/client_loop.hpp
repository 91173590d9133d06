// run_load(): one loadgen process — a client-side epoll event loop over many non-blocking
// connections, the mirror image of chapters 06–07. Each connection is a small state machine:
//
//   CONNECTING --(writable: connect done)--> SENDING --(request written)--> WAITING
//   WAITING --(response complete)--> SENDING (keep-alive) | closed and reconnected (short)
//   idle holders: CONNECTING --> (optionally one request/response) --> HOLDING until the end
//   dripping holders (slowloris): CONNECTING --> HOLDING; once all are open, each sends the
//     start of a request head, then one byte of a header that never ends every --idle-drip
//     seconds (drip_schedule.hpp)
//
// Latency is measured per request, from the moment its first byte is handed to the kernel
// (short mode: from connect()) to the moment its last byte is read. Timeouts are checked
// every 100 ms by a scan, which costs little next to the I/O even for 10,000 connections.
#pragma once

#include <functional>

#include "load_options.hpp"
#include "load_result.hpp"

namespace kit::bench {

// Runs until the measured period ends (or `requests` responses were measured).
// `on_idle_ready` is called once, when every idle holder is open (and answered, with
// idle_request) or failed — before the active connections start.
LoadResult run_load(const LoadOptions& options, const std::function<void()>& on_idle_ready);

}  // namespace kit::bench
