// How many connections a server holds, seen from outside: the socket descriptors open in its
// process and in its children (chapter 01's process per connection, chapter 10's workers),
// read from /proc/PID/fd. A connection the server forgot to close — and with it the session,
// pool and buffers it owns — stays visible here however the client left. The adversarial
// tests take a baseline once the server is idle, misbehave, then require the count to come back.
// Sockets only: chapter 12's open-file cache keeps file descriptors open on purpose.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <vector>

#include "server_process.hpp"

namespace blackbox {

// The children of every thread of `pid` (/proc/PID/task/*/children).
std::vector<pid_t> children_of(pid_t pid);

// Socket descriptors open in `pid` and its descendants right now.
size_t open_sockets(pid_t pid);

// Has the server answer one request (it is up and serving), then returns its socket count once
// that has held still for a moment (the server is still closing the request's connection):
// the baseline a scenario must come back to.
size_t idle_sockets(ServerProcess& server);

// Waits up to `within` for the server's sockets to come back to `baseline` and fails the test
// (naming both counts) if they do not.
void require_sockets_back(ServerProcess& server, size_t baseline,
                          std::chrono::milliseconds within = std::chrono::milliseconds(4'000));

}  // namespace blackbox
