#include "client_loop.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "core/fd.hpp"
#include "core/sys_error.hpp"
#include "drip_schedule.hpp"
#include "response_reader.hpp"

namespace kit::bench {
namespace {

using Clock = std::chrono::steady_clock;

uint64_t ns_since(Clock::time_point t0, Clock::time_point t) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t - t0).count());
}

enum class ConnState { kConnecting, kSending, kWaiting, kHolding };

struct Connection {
  Fd fd;
  ConnState state = ConnState::kConnecting;
  bool idle = false;        // an idle holder
  bool want_write = false;  // EPOLLOUT registered
  size_t source = 0;        // index of its source address
  std::string out;          // bytes still to send
  size_t out_pos = 0;
  uint64_t dripped = 0;                   // bytes of the endless header sent so far (--idle-drip)
  std::deque<Clock::time_point> sent_at;  // one per request in flight
  Clock::time_point connect_started;
  Clock::time_point deadline;  // of the oldest request in flight, or of the connect
  ResponseReader reader;
};

class Loop {
 public:
  Loop(const LoadOptions& o, const std::function<void()>& on_idle_ready)
      : o_(o), on_idle_ready_(on_idle_ready), epoll_(::epoll_create1(EPOLL_CLOEXEC)) {
    if (!epoll_) throw_sys_error("epoll_create1");
    if (::inet_pton(AF_INET, o.host.c_str(), &server_.sin_addr) != 1) {
      throw std::runtime_error("loadgen: --host must be an IPv4 address, got " + o.host);
    }
    server_.sin_family = AF_INET;
    server_.sin_port = htons(o.port);
    const std::string host_field = o.host + ":" + std::to_string(o.port);
    request_ = "GET " + o.path + " HTTP/1.1\r\nHost: " + host_field +
               "\r\nUser-Agent: c10k-kit-loadgen\r\n" +
               (o.mode == LoadMode::kShort ? "Connection: close\r\n" : "") + "\r\n";
    idle_request_ = "GET " + o.path + " HTTP/1.1\r\nHost: " + host_field + "\r\n\r\n";
    // A slowloris opens like a real client, so the server has parsed a request line and a
    // header before the drip begins (it cannot reject the holder as garbage).
    drip_head_ = "GET " + o.path + " HTTP/1.1\r\nHost: " + host_field +
                 "\r\nUser-Agent: c10k-kit-loadgen\r\n";
    timeout_ =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.timeout_s));
  }

  LoadResult run();

 private:
  void open(size_t slot, bool idle);
  void close_and_maybe_reopen(size_t slot);
  void on_event(size_t slot, uint32_t events);
  void start_request(size_t slot, Clock::time_point now);
  bool flush(size_t slot);
  void read_responses(size_t slot);
  void complete(size_t slot, Clock::time_point now);
  void fail(size_t slot, uint64_t LoadResult::*counter);
  void set_write_interest(size_t slot, bool want);
  void check_timeouts(Clock::time_point now);
  void hold(size_t slot);
  void start_drips(Clock::time_point now);
  void drip(Clock::time_point now);
  bool send_drip(size_t slot);
  [[nodiscard]] int wait_ms(int longest) const;
  [[nodiscard]] bool dripping() const { return o_.idle_drip_s > 0; }
  [[nodiscard]] bool measuring(Clock::time_point now) const {
    return active_started_ && now >= measure_start_ && !stopping_;
  }

  const LoadOptions& o_;
  const std::function<void()>& on_idle_ready_;
  Fd epoll_;
  sockaddr_in server_{};
  std::string request_, idle_request_, drip_head_;
  Clock::duration timeout_{};
  DripSchedule drips_{
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.idle_drip_s))};
  std::vector<std::unique_ptr<Connection>> conns_;  // slot = index; idle holders first
  size_t idle_pending_ = 0;                         // idle holders not yet open (and answered)
  bool active_started_ = false;
  bool stopping_ = false;
  Clock::time_point measure_start_, measure_end_;
  LoadResult result_;
  std::vector<char> buffer_ = std::vector<char>(64 * 1024);
  std::vector<size_t> next_requests_;  // connections to send their next request after this batch
  void send_next_requests();
};

void Loop::open(size_t slot, bool idle) {
  auto& c = conns_[slot];
  c = std::make_unique<Connection>();
  c->idle = idle;
  c->source = (static_cast<size_t>(o_.first_source) + slot) % static_cast<size_t>(o_.source_addrs);
  c->fd.reset(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!c->fd) throw_sys_error("socket");
  const int one = 1;
  ::setsockopt(c->fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (o_.source_addrs > 1) {
    // 127.0.0.x: each source address has its own 28k ephemeral ports. BIND_ADDRESS_NO_PORT
    // lets connect() pick the port, so ports are not reserved per address at bind time.
    ::setsockopt(c->fd.get(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    src.sin_addr.s_addr = htonl(0x7f000001u + static_cast<uint32_t>(c->source));
    if (::bind(c->fd.get(), reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
      throw_sys_error("bind(source address)");
    }
  }
  c->connect_started = Clock::now();
  c->deadline = c->connect_started + timeout_;
  if (::connect(c->fd.get(), reinterpret_cast<sockaddr*>(&server_), sizeof server_) != 0 &&
      errno != EINPROGRESS) {
    if (measuring(Clock::now())) ++result_.connect_errors;
    c->fd.reset();
    return;  // retried by check_timeouts()
  }
  c->state = ConnState::kConnecting;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT;  // writable = the connect finished (or failed)
  ev.data.u64 = slot;
  c->want_write = true;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, c->fd.get(), &ev) != 0) throw_sys_error("epoll_ctl");
}

void Loop::set_write_interest(size_t slot, bool want) {
  auto& c = *conns_[slot];
  if (c.want_write == want) return;
  epoll_event ev{};
  ev.events = EPOLLIN | (want ? EPOLLOUT : 0u);
  ev.data.u64 = slot;
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, c.fd.get(), &ev);
  c.want_write = want;
}

void Loop::start_request(size_t slot, Clock::time_point now) {
  auto& c = *conns_[slot];
  const std::string& req = c.idle ? idle_request_ : request_;
  const int n = (o_.mode == LoadMode::kPipeline && !c.idle)
                    ? o_.depth - static_cast<int>(c.sent_at.size())
                    : 1;
  for (int i = 0; i < n; ++i) {
    c.out.append(req);
    // Short connections count the handshake: the client waited for it too.
    c.sent_at.push_back(o_.mode == LoadMode::kShort && !c.idle ? c.connect_started : now);
  }
  c.deadline = c.sent_at.front() + timeout_;
  c.state = ConnState::kSending;
  if (flush(slot)) c.state = ConnState::kWaiting;
}

// Writes what is pending; true when all of it went out.
bool Loop::flush(size_t slot) {
  auto& c = *conns_[slot];
  while (c.out_pos < c.out.size()) {
    const ssize_t n =
        ::send(c.fd.get(), c.out.data() + c.out_pos, c.out.size() - c.out_pos, MSG_NOSIGNAL);
    if (n > 0) {
      c.out_pos += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      set_write_interest(slot, true);
      return false;
    }
    fail(slot, &LoadResult::resets);
    return false;
  }
  c.out.clear();
  c.out_pos = 0;
  set_write_interest(slot, false);
  return true;
}

void Loop::fail(size_t slot, uint64_t LoadResult::*counter) {
  auto& c = *conns_[slot];
  if (c.idle) {
    ++result_.idle_lost;
    if (c.state == ConnState::kConnecting || c.state == ConnState::kSending ||
        c.state == ConnState::kWaiting) {
      --idle_pending_;
    }
    conns_[slot].reset();  // a lost holder is not reopened: the count of losses is the result
    return;
  }
  if (measuring(Clock::now())) ++(result_.*counter);
  close_and_maybe_reopen(slot);
}

void Loop::close_and_maybe_reopen(size_t slot) {
  conns_[slot].reset();  // closes the fd, which also removes it from the epoll set
  if (!stopping_) open(slot, false);
}

void Loop::complete(size_t slot, Clock::time_point now) {
  auto& c = *conns_[slot];
  const Clock::time_point sent = c.sent_at.front();
  c.sent_at.pop_front();
  if (c.idle) {
    c.reader.reset();
    hold(slot);
    return;
  }
  if (measuring(now)) {
    ++result_.responses;
    result_.latency.record(ns_since(sent, now));
    result_.body_bytes += c.reader.body_bytes();
    if (c.reader.status_code() < 200 || c.reader.status_code() > 299) ++result_.non_2xx;
    if (o_.requests > 0 && result_.responses >= o_.requests) {
      stopping_ = true;
      measure_end_ = now;
    }
  }
  const bool closes = c.reader.server_closes() || o_.mode == LoadMode::kShort;
  c.reader.reset();
  if (!c.sent_at.empty()) c.deadline = c.sent_at.front() + timeout_;
  if (closes) {
    // Requests still in flight on a closing connection are lost: count them.
    if (!c.sent_at.empty() && measuring(now)) result_.resets += c.sent_at.size();
    close_and_maybe_reopen(slot);
    return;
  }
  // The next request goes out after this epoll batch is handled, not now: like wrk, the
  // client answers a burst of responses with a burst of requests, so the server finds many
  // ready connections per wake-up instead of being woken for each request.
  if (!stopping_) next_requests_.push_back(slot);
}

void Loop::read_responses(size_t slot) {
  for (;;) {
    if (!conns_[slot]) return;
    auto* c = conns_[slot].get();
    const ssize_t n = ::recv(c->fd.get(), buffer_.data(), buffer_.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      // EOF or RST. Clean only if nothing was asked, or a close-delimited body just ended.
      const Clock::time_point now = Clock::now();
      if (!c->sent_at.empty() && n == 0 &&
          c->reader.on_eof() == ResponseReader::Status::kComplete) {
        complete(slot, now);
        if (conns_[slot] && conns_[slot].get() == c) close_and_maybe_reopen(slot);
        return;
      }
      if (c->sent_at.empty() && !c->idle && n == 0) {
        close_and_maybe_reopen(
            slot);  // keep-alive connection closed by the server between requests
        return;
      }
      fail(slot, &LoadResult::resets);
      return;
    }
    std::string_view in(buffer_.data(), static_cast<size_t>(n));
    while (!in.empty()) {
      c = conns_[slot].get();
      if (c == nullptr || c->sent_at.empty()) {
        // Bytes nobody asked for: a broken server. Count and drop the connection.
        if (c != nullptr) fail(slot, &LoadResult::bad_responses);
        return;
      }
      const ResponseReader::Step step = c->reader.feed(in);
      in.remove_prefix(step.consumed);
      if (step.status == ResponseReader::Status::kBad) {
        fail(slot, &LoadResult::bad_responses);
        return;
      }
      if (step.status == ResponseReader::Status::kNeedMore) break;
      complete(slot, Clock::now());
      if (!conns_[slot] || conns_[slot].get() != c) return;  // closed (and maybe reopened)
    }
    // Level-triggered epoll: a short read means the socket is empty for now, and epoll will
    // say when more arrives. Reading again only to see EAGAIN would double the recv() calls.
    if (static_cast<size_t>(n) < buffer_.size()) return;
  }
}

void Loop::send_next_requests() {
  const Clock::time_point now = Clock::now();
  for (size_t slot : next_requests_) {
    const Connection* c = conns_[slot].get();
    if (c == nullptr || stopping_ || c->state == ConnState::kConnecting)
      continue;                                                           // closed meanwhile
    if (o_.mode != LoadMode::kPipeline && !c->sent_at.empty()) continue;  // listed twice
    start_request(slot, now);
  }
  next_requests_.clear();
}

void Loop::on_event(size_t slot, uint32_t events) {
  if (slot >= conns_.size() || !conns_[slot]) return;
  auto& c = *conns_[slot];
  if (c.state == ConnState::kConnecting) {
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(c.fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      if (c.idle) {
        fail(slot, &LoadResult::connect_errors);
      } else {
        if (measuring(Clock::now())) ++result_.connect_errors;
        conns_[slot].reset();  // reopened by check_timeouts(), not in a tight loop
      }
      return;
    }
    if (!(events & EPOLLOUT)) return;
    if (measuring(Clock::now())) ++result_.connects;
    if (c.idle && !o_.idle_request) {
      hold(slot);
      return;
    }
    if (c.idle || active_started_) {
      start_request(slot, Clock::now());
    } else {
      set_write_interest(slot, false);
      c.state = ConnState::kWaiting;
    }
    return;
  }
  if ((events & EPOLLOUT) && c.state == ConnState::kSending) {
    if (flush(slot) && conns_[slot]) conns_[slot]->state = ConnState::kWaiting;
  }
  if (!conns_[slot]) return;
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
    if (conns_[slot]->state == ConnState::kHolding) {
      // A holder should hear nothing: data or EOF means the server dropped or answered it.
      const ssize_t n = ::recv(conns_[slot]->fd.get(), buffer_.data(), buffer_.size(), 0);
      if (n <= 0 && !(n < 0 && (errno == EAGAIN || errno == EINTR))) {
        fail(slot, &LoadResult::resets);
      }
      return;
    }
    read_responses(slot);
  }
}

// An idle holder is open (and answered, with --idle-request): from now on it only listens
// (and drips, with --idle-drip, once all are open).
void Loop::hold(size_t slot) {
  conns_[slot]->state = ConnState::kHolding;
  set_write_interest(slot, false);
  --idle_pending_;
}

// Every holder is open: each sends the start of its request head now, then drips (drip()).
// The heads wait until all holders are open: a server accepting connections that bring data
// accepts more slowly than silent ones, overflows its listen backlog (511) under 5,000 connects
// and leaves the rest to SYN retransmits a second and more apart. The heads' burst falls in
// the warm-up; the measured period sees only the steady drip.
void Loop::start_drips(Clock::time_point now) {
  const size_t idle = static_cast<size_t>(o_.idle);
  for (size_t slot = 0; slot < idle; ++slot) {
    if (!conns_[slot]) continue;  // lost while opening
    conns_[slot]->out = drip_head_;
    if (send_drip(slot)) drips_.add(slot, slot, idle, now);
  }
}

// Sends one more byte of the endless header on every holder that is due. A holder the server
// closed is seen by its EOF (on_event) and counted there; one whose send fails first, here.
void Loop::drip(Clock::time_point now) {
  while (const std::optional<DripSchedule::Due> due = drips_.pop_due(now)) {
    Connection* c = conns_[due->slot].get();
    if (c == nullptr || c->state != ConnState::kHolding) continue;  // lost: not rescheduled
    c->out += DripSchedule::byte_at(c->dripped++);
    if (!send_drip(due->slot)) continue;
    if (measuring(now)) ++result_.drips;
    drips_.next(*due, now);
  }
}

// Sends what a dripping holder has pending; what the socket does not take (it always has room
// for a few bytes in practice) waits for the next drip. False if the holder is lost.
bool Loop::send_drip(size_t slot) {
  Connection& c = *conns_[slot];
  const ssize_t n = ::send(c.fd.get(), c.out.data(), c.out.size(), MSG_NOSIGNAL);
  if (n > 0) {
    c.out.erase(0, static_cast<size_t>(n));
    return true;
  }
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return true;
  fail(slot, &LoadResult::resets);
  return false;
}

// epoll_wait's timeout: `longest`, or less when a drip falls due sooner (rounded up, so the
// loop does not spin on a drip a fraction of a millisecond away).
int Loop::wait_ms(int longest) const {
  const std::optional<Clock::time_point> next = drips_.earliest();
  if (!next) return longest;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now()).count();
  return static_cast<int>(std::clamp<int64_t>(ms, 0, longest));
}

void Loop::check_timeouts(Clock::time_point now) {
  for (size_t slot = 0; slot < conns_.size(); ++slot) {
    auto& c = conns_[slot];
    if (!c) {
      // An active connection whose connect failed: try again (at most every 100 ms).
      if (slot >= static_cast<size_t>(o_.idle) && active_started_ && !stopping_) open(slot, false);
      continue;
    }
    if (c->state == ConnState::kHolding) continue;
    if (c->state == ConnState::kWaiting && c->sent_at.empty()) continue;
    if (now >= c->deadline) fail(slot, &LoadResult::timeouts);
  }
}

LoadResult Loop::run() {
  const size_t idle = static_cast<size_t>(o_.idle);
  const size_t active = static_cast<size_t>(o_.connections);
  conns_.resize(idle + active);
  // Idle holders first, in batches, so the server's listen backlog (and SYN queue) is not
  // flooded; they take the server's lower descriptors, as in the C10K experiment.
  idle_pending_ = idle;
  std::vector<epoll_event> events(1024);
  size_t opened = 0;
  const Clock::time_point idle_deadline = Clock::now() + timeout_ + timeout_;
  while (idle_pending_ > 0 && Clock::now() < idle_deadline) {
    while (opened < idle && opened - (idle - idle_pending_) < 256)
      open(opened++, true);
    const int n = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), 100);
    for (int i = 0; i < n; ++i)
      on_event(events[static_cast<size_t>(i)].data.u64, events[static_cast<size_t>(i)].events);
  }
  // Holders that did not make it in time are counted as lost and dropped, and so are those
  // the deadline left unopened.
  for (size_t slot = 0; slot < idle; ++slot) {
    if (conns_[slot] && conns_[slot]->state != ConnState::kHolding) {
      ++result_.idle_lost;
      conns_[slot].reset();
    }
  }
  result_.idle_lost += idle - opened;
  idle_pending_ = 0;
  if (dripping()) start_drips(Clock::now());
  if (on_idle_ready_) on_idle_ready_();

  const Clock::time_point start = Clock::now();
  measure_start_ = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(o_.warmup_s));
  const double run_s = active == 0 ? o_.hold_s : o_.duration_s;
  measure_end_ = measure_start_ +
                 std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(run_s));
  active_started_ = true;
  for (size_t slot = idle; slot < idle + active; ++slot)
    open(slot, false);

  Clock::time_point next_scan = start;
  // With a request count, the period ends at the count; the duration still bounds the run.
  const Clock::time_point hard_end =
      o_.requests > 0 ? measure_start_ + std::chrono::seconds(600) : measure_end_;
  for (;;) {
    const Clock::time_point now = Clock::now();
    if (stopping_ || now >= hard_end) break;
    const int n =
        ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), wait_ms(50));
    if (n < 0 && errno != EINTR) throw_sys_error("epoll_wait");
    for (int i = 0; i < n; ++i) {
      on_event(events[static_cast<size_t>(i)].data.u64, events[static_cast<size_t>(i)].events);
    }
    send_next_requests();
    const Clock::time_point after = Clock::now();
    drip(after);
    if (after >= next_scan) {
      check_timeouts(after);
      next_scan = after + std::chrono::milliseconds(100);
    }
  }
  if (!stopping_) measure_end_ = std::min(Clock::now(), hard_end);
  stopping_ = true;
  result_.seconds = std::chrono::duration<double>(measure_end_ - measure_start_).count();
  for (size_t slot = 0; slot < idle; ++slot) {
    if (conns_[slot] && conns_[slot]->state == ConnState::kHolding) ++result_.idle_open;
  }
  conns_.clear();
  return result_;
}

}  // namespace

LoadResult run_load(const LoadOptions& options, const std::function<void()>& on_idle_ready) {
  Loop loop(options, on_idle_ready);
  return loop.run();
}

}  // namespace kit::bench
