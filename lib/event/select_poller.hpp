// SelectPoller: the Poller interface over select(2). Keeps master read/write fd_sets and
// copies them for every call (select overwrites its arguments), then scans fds 0..max to find
// the ready ones: O(highest fd) per wake-up whatever the number of ready fds, and no fd at or
// above FD_SETSIZE (1024) can be watched at all — FD_SET on it would write past the fd_set.
// nginx counterpart: ngx_select_module.c. Introduced in chapter 06 as a backend (chapter 04
// teaches the same loop written out in main.cpp).
#pragma once

#include <sys/select.h>

#include <vector>

#include "event/poller.hpp"

namespace kit {

class SelectPoller final : public Poller {
 public:
  SelectPoller();
  bool add(int fd, uint32_t interest, uint64_t token) override;
  bool modify(int fd, uint32_t interest, uint64_t token) override;
  void remove(int fd) override;
  size_t wait(std::span<ReadyEvent> out, int timeout_ms) override;
  std::string_view name() const override { return "select"; }

 private:
  fd_set read_set_;
  fd_set write_set_;
  std::vector<uint64_t> tokens_;  // by fd
  std::vector<bool> watched_;     // by fd
  int max_fd_ = -1;
};

}  // namespace kit
