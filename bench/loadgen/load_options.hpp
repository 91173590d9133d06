// What one loadgen run does. Filled from the command line (main.cpp); one process of a
// multi-process run gets a share of the connections (split_for_process).
#pragma once

#include <cstdint>
#include <string>

namespace kit::bench {

enum class LoadMode {
  kKeepAlive,  // closed loop: each connection sends the next request when the answer arrives
  kPipeline,   // each connection keeps `depth` requests in flight
  kShort,      // connect, one request with "Connection: close", close, reconnect
};

struct LoadOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::string path = "/index.html";
  LoadMode mode = LoadMode::kKeepAlive;
  int connections = 10;       // active connections
  int depth = 1;              // requests in flight per connection (kPipeline)
  int idle = 0;               // idle holders, opened before the active load starts
  bool idle_request = false;  // each idle holder first gets one response, then goes silent
  double idle_drip_s = 0.0;   // > 0: idle holders are slowloris clients, a byte every this often
  double warmup_s = 1.0;      // responses in this first period are not counted
  double duration_s = 5.0;    // measured period (ignored when requests > 0)
  uint64_t requests = 0;      // stop after this many measured responses (0: use duration)
  double timeout_s = 5.0;     // a response (or connect) slower than this counts as a timeout
  double hold_s = 0.0;        // with only idle holders: how long to hold them
  int source_addrs = 1;       // spread connections over 127.0.0.1 .. 127.0.0.N
  int first_source = 0;       // this process's first source address index
};

}  // namespace kit::bench
