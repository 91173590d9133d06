// ConnectionTimeouts: which timer guards a connection in each state of its state machine,
// and when that timer starts again — nginx's timeout directives, with their defaults:
//
//   state                          timer                  restarted when
//   new connection, request line,  client_header_timeout  never within one request head:
//     headers                                             a slowloris dripping a byte at a
//                                                         time is cut off all the same
//   request body                   client_body_timeout    bytes arrive (it bounds the gap)
//   sending the response           send_timeout           the socket takes bytes
//   between requests (idle)        keepalive_timeout      a request was answered
//
// A restart within the same state is skipped when the new deadline is less than 300 ms
// after the armed one (nginx's NGX_TIMER_LAZY_DELAY): a fast download would otherwise move
// its timer in the tree on every write. Borrows nothing; one per connection.
// nginx counterpart: the ngx_add_timer() calls in ngx_http_request.c, ngx_http_read_client
// _request_body() and ngx_http_writer(). Introduced in chapter 08.
#pragma once

#include <cstdint>
#include <string_view>

#include "event/http_connection.hpp"
#include "timer/timer_tree.hpp"

namespace kit {

struct Timeouts {
  Msec client_header = 60'000;         // client_header_timeout 60s
  Msec client_body = 60'000;           // client_body_timeout 60s
  Msec send = 60'000;                  // send_timeout 60s
  Msec keepalive = 75'000;             // keepalive_timeout 75s; 0 turns keep-alive off
  uint64_t keepalive_requests = 1000;  // keepalive_requests 1000
};

enum class TimeoutPhase { kNone, kHeader, kBody, kSend, kKeepalive };

class ConnectionTimeouts {
 public:
  // After the connection handled an event at `now`: arm, restart or keep `timer`.
  void after_event(const HttpConnection& c, const Timeouts& timeouts, TimerTree& tree,
                   TimerTree::Timer& timer, Msec now);
  [[nodiscard]] TimeoutPhase phase() const { return phase_; }
  // For the log line when the timer fires, in nginx's words ("while reading client request
  // headers").
  [[nodiscard]] std::string_view activity() const;

 private:
  TimeoutPhase phase_ = TimeoutPhase::kNone;
  uint64_t requests_ = 0;  // the connection's counters at the last (re)start
  uint64_t received_ = 0;
  uint64_t sent_ = 0;
};

}  // namespace kit
