#include "timer/timer_tree.hpp"

#include <climits>

namespace kit {

// ---- lesson: ch08 the timer tree ----
void TimerTree::add(Timer& timer, Msec deadline) {
  Tree::node_type node;
  if (timer.armed_) {
    node = tree_.extract(timer.it_);
  } else if (!timer.spare_.empty()) {
    node = std::move(timer.spare_);
  }
  if (node.empty()) {
    timer.it_ = tree_.emplace(deadline, &timer);  // the timer's first arming: one allocation
  } else {
    node.key() = deadline;
    timer.it_ = tree_.insert(std::move(node));
  }
  timer.armed_ = true;
}

void TimerTree::cancel(Timer& timer) {
  if (!timer.armed_) return;
  timer.spare_ = tree_.extract(timer.it_);
  timer.armed_ = false;
}

int TimerTree::wait_timeout(Msec now) const {
  if (tree_.empty()) return -1;
  const Msec earliest = tree_.begin()->first;
  if (earliest <= now) return 0;
  const Msec left = earliest - now;
  return left > static_cast<Msec>(INT_MAX) ? INT_MAX : static_cast<int>(left);
}

std::optional<uint64_t> TimerTree::pop_expired(Msec now) {
  if (tree_.empty() || tree_.begin()->first > now) return std::nullopt;
  Timer& timer = *tree_.begin()->second;
  cancel(timer);
  return timer.owner_;
}
// ---- end lesson ----

}  // namespace kit
