#include "expectations.hpp"

#include <array>
#include <catch2/catch.hpp>

#include "suite_config.hpp"

namespace blackbox {
namespace {

using enum Outcome;

// clang-format off
constexpr std::array kTable{
  // Protocol basics: every chapter shares the parser and the static handler, so all pass.
  Expectation{"get-index", "*", kPass, 0, "", "from ch00"},
  Expectation{"head", "*", kPass, 0, "", "from ch00"},
  Expectation{"error-statuses", "*", kPass, 0, "", "from ch00"},
  Expectation{"post-body", "*", kPass, 0, "", "from ch00: the body is read and discarded"},
  Expectation{"keep-alive", "*", kPass, 0, "", "from ch00"},
  Expectation{"pipelining", "*", kPass, 0, "", "from ch00"},
  Expectation{"http10-close", "*", kPass, 0, "", "from ch00"},
  Expectation{"connection-close", "*", kPass, 0, "", "from ch00"},
  Expectation{"large-file", "*", kPass, 0, "", "from ch00"},
  Expectation{"pipelined-large-slow-reader", "*", kPass, 0, "",
              "from ch00; from ch04 on it exercises partial writes (EAGAIN mid-response) with "
              "the next pipelined requests already buffered"},
  Expectation{"traversal", "*", kPass, 0, "", "from ch00"},
  Expectation{"malformed", "*", kPass, 0, "", "from ch00"},
  Expectation{"byte-at-a-time", "*", kPass, 0, "", "from ch00: the parser resumes at any byte"},
  Expectation{"half-request-then-close", "*", kPass, 0, "", "from ch00"},
  Expectation{"reset-mid-request", "*", kPass, 0, "", "from ch00"},

  // A silent client (connected, sends nothing) and a slow one (half a request) are connected
  // while a fresh client asks for /.
  Expectation{"silent-clients", "ch00", kStalls, 2, "",
              "iterative: while serve_connection() waits for the silent client's first byte "
              "nobody else is accepted — one slow client stalls everyone"},
  Expectation{"silent-clients", "ch03", kStalls, 2, "--threads 2",
              "a pool of 2 workers is held by 2 silent connections; the fresh client waits in "
              "the queue until one leaves (queueing: N slow clients block the pool)"},
  Expectation{"silent-clients", "*", kPass, 2, "",
              "from ch01: the silent clients hold only their own process, thread or session"},

  // Many idle keep-alive connections (each after one completed request) are held open while a
  // fresh client asks for /; it must be answered within 2 s.
  Expectation{"idle-keepalive-crowd", "ch00", kStalls, 1, "",
              "iterative: one idle keep-alive client keeps the server inside serve_connection(); "
              "the fresh client is answered only after it leaves"},
  Expectation{"idle-keepalive-crowd", "ch01", kPass, 200, "",
              "a process per connection copes; 200, not 2,000: 2,000 forks of an ASan binary "
              "take longer than the suite's time budget"},
  Expectation{"idle-keepalive-crowd", "ch02", kPass, 200, "",
              "a thread per connection copes; 200, not 2,000, to keep ASan/TSan runs short "
              "(the bench measures 8,000 holders)"},
  Expectation{"idle-keepalive-crowd", "ch03", kStalls, 8, "",
              "8 idle keep-alive connections hold all 8 default workers: the fresh client "
              "waits until they leave"},
  Expectation{"idle-keepalive-crowd", "ch04", kRefusesPastLimit, 2000, "",
              "select() cannot watch fd >= FD_SETSIZE (1024): those connections are refused "
              "cleanly (503 or closed) while lower fds are still served and the server lives"},
  Expectation{"idle-keepalive-crowd", "*", kPass, 2000, "",
              "from ch05: poll/epoll have no fd cap; an idle connection costs a descriptor "
              "and a session, not a thread"},

  // Timeouts (chapter 08): run with short values so the suite stays fast.
  Expectation{"slowloris", "<ch08", kNoTimeout, 0, "",
              "no timers before chapter 08: a client dripping its request head keeps its "
              "connection (and a descriptor, slot or thread) as long as it likes"},
  Expectation{"slowloris", "*", kPass, 0, "--client_header_timeout 1s",
              "from ch08: client_header_timeout bounds the whole head, however it drips"},
  Expectation{"keepalive-timeout", "<ch08", kNoTimeout, 0, "",
              "no timers before chapter 08: an idle keep-alive connection is kept forever"},
  Expectation{"keepalive-timeout", "*", kPass, 0, "--keepalive_timeout 1s",
              "from ch08: keepalive_timeout closes an idle keep-alive connection"},
  Expectation{"keepalive-requests", "<ch08", kNoTimeout, 0, "",
              "no limit before chapter 08: every response keeps the connection alive"},
  Expectation{"keepalive-requests", "*", kPass, 0, "--keepalive_requests 3",
              "from ch08: the 3rd response says Connection: close and the server closes"},

  // The adversarial-client pack (adversarial_clients_test.cpp): registered for the event-driven
  // chapters only (04 on), where one loop holds every client.
  Expectation{"pipelined-100", "*", kPass, 0, "", "from ch04: the parser resumes across reads"},
  Expectation{"half-close", "*", kPass, 0, "",
              "from ch04: the end of the stream read with the requests still gets their answers"},
  Expectation{"never-reads", "<ch08", kNoTimeout, 0, "",
              "no timers before chapter 08: a client that never reads holds its connection, "
              "its buffers and the response in progress until it leaves"},
  Expectation{"never-reads", "*", kPass, 0, "--send_timeout 1s",
              "from ch08: send_timeout closes a connection whose client accepts no bytes"},
  Expectation{"dropped-mid-request", "*", kPass, 2000, "",
              "from ch04 (select refuses past FD_SETSIZE, cleanly): every abandoned "
              "connection is closed and forgotten"},
};
// clang-format on

bool row_matches(const Expectation& row, std::string_view chapter) {
  if (row.chapter.starts_with("<")) {  // "<ch08": chapters numbered below 08
    const int limit = chapter_number(row.chapter.substr(1));
    const int n = chapter_number(chapter);
    return n >= 0 && n < limit;
  }
  return chapter.substr(0, row.chapter.size()) == row.chapter;
}

}  // namespace

std::span<const Expectation> expectation_table() {
  return kTable;
}

const Expectation& expectation(std::string_view scenario) {
  const std::string& chapter = chapter_under_test().name;
  const Expectation* fallback = nullptr;
  for (const Expectation& row : kTable) {
    if (row.scenario != scenario) continue;
    if (row.chapter == "*") {
      if (fallback == nullptr) fallback = &row;
    } else if (row_matches(row, chapter)) {
      return row;
    }
  }
  if (fallback == nullptr) FAIL("scenario \"" << scenario << "\" is not in the table");
  return *fallback;
}

std::vector<std::string> server_args(const Expectation& e) {
  std::vector<std::string> args;
  std::string_view rest = e.server_args;
  while (!rest.empty()) {
    const size_t space = rest.find(' ');
    if (space != 0) args.emplace_back(rest.substr(0, space));
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return args;
}

}  // namespace blackbox
