// PollPoller: the Poller interface over poll(2). An array of pollfd the kernel scans on every
// call, with a position index per fd so remove() is O(1) (swap with the last entry). No fd
// limit like select's, but each call still copies and scans every watched fd, idle or not.
// nginx counterpart: ngx_poll_module.c (its event_list and the index kept in each event).
// Introduced in chapter 06 as a backend (chapter 05 writes the poll loop out in main.cpp).
#pragma once

#include <poll.h>

#include <vector>

#include "event/poller.hpp"

namespace kit {

class PollPoller final : public Poller {
 public:
  bool add(int fd, uint32_t interest, uint64_t token) override;
  bool modify(int fd, uint32_t interest, uint64_t token) override;
  void remove(int fd) override;
  size_t wait(std::span<ReadyEvent> out, int timeout_ms) override;
  std::string_view name() const override { return "poll"; }

 private:
  std::vector<pollfd> fds_;
  std::vector<uint64_t> tokens_;  // parallel to fds_
  std::vector<int> position_;     // by fd: index into fds_, or -1
};

}  // namespace kit
