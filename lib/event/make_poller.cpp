// make_poller(): the one place that maps a backend name to its class — the only line a
// chapter changes to switch backend is the name it passes (or the --poller flag).
#include <fmt/format.h>

#include <stdexcept>

#include "event/epoll_poller.hpp"
#include "event/poll_poller.hpp"
#include "event/poller.hpp"
#include "event/select_poller.hpp"

namespace kit {

std::unique_ptr<Poller> make_poller(std::string_view name) {
  if (name == "select") return std::make_unique<SelectPoller>();
  if (name == "poll") return std::make_unique<PollPoller>();
  if (name == "epoll") return std::make_unique<EpollPoller>();
  throw std::invalid_argument(
      fmt::format("unknown poller \"{}\" (choose select, poll or epoll)", name));
}

}  // namespace kit
