// Chapter 10+: the master/worker process model, as an operator meets it — `-t` on good and
// bad files, a worker killed under load replaced within a second (its clients lose at most the
// request in flight), reloads under continuous load with no failed request (a broken
// configuration too), and a graceful quit that finishes a slow download. Tagged [master]: the
// suite registers these only for chapters that have a master (tests/blackbox/CMakeLists.txt),
// since before chapter 10 there is no master to signal and no configuration file.
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <thread>

#include "http_client.hpp"
#include "master_helpers.hpp"
#include "net/listener.hpp"
#include "suite_config.hpp"

namespace blackbox {

using namespace std::chrono_literals;

TEST_CASE("Testing a configuration (-t) accepts a good file and names file:line in a bad one",
          "[master][ch10]") {
  TempDir tmp;
  const std::string root = chapter_under_test().root.string();
  const std::string good = tmp.write("good.conf", config_text(root, 8080, 2));
  auto [code, out] = run_chapter("-c " + good + " -t");
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("test is successful") != std::string::npos);

  const std::string bad = tmp.write("bad.conf", "events {}\nhttp {\n  keepalive_timout 5s;\n}\n");
  std::tie(code, out) = run_chapter("-c " + bad + " -t");
  INFO(out);
  CHECK(code == 1);
  CHECK(out.find(bad + ":3: unknown directive \"keepalive_timout\" in http") != std::string::npos);
  CHECK(out.find("test failed") != std::string::npos);

  // A root that does not exist fails the test too, instead of every worker at its start.
  const std::string no_root =
      tmp.write("noroot.conf", config_text((tmp.dir / "missing").string(), 8080, 1));
  std::tie(code, out) = run_chapter("-c " + no_root + " -t");
  INFO(out);
  CHECK(code == 1);
  CHECK(out.find("missing") != std::string::npos);
}

TEST_CASE("A worker killed with SIGKILL under load is replaced and only its clients notice",
          "[master][ch10]") {
  ServerProcess server = start_chapter({"--worker-processes", "2"});
  const std::vector<pid_t> before = wait_for_workers(server.pid(), 2);
  REQUIRE(before.size() == 2);
  std::vector<pid_t> after;
  const LoadResult load = load_while(server.port(), [&] {
    REQUIRE(::kill(before[0], SIGKILL) == 0);
    const auto until = std::chrono::steady_clock::now() + 1s;  // replaced within a second
    do {
      std::this_thread::sleep_for(20ms);
      after = workers_of(server.pid());
    } while (
        (after.size() != 2 || std::find(after.begin(), after.end(), before[0]) != after.end()) &&
        std::chrono::steady_clock::now() < until);
  });
  CHECK(after.size() == 2);
  CHECK(std::find(after.begin(), after.end(), before[0]) == after.end());
  CHECK(std::find(after.begin(), after.end(), before[1]) != after.end());  // untouched
  // A client loses at most the request in flight on the killed worker's connection; it
  // reconnects and is answered (by the other worker or the new one).
  INFO("ok " << load.ok << " (after the kill " << load.ok_after << "), failed " << load.failed);
  CHECK(load.most_failed_by_one <= 1);
  CHECK(load.ok_after > 0);
  CHECK(fetch(server.port(), get("/hello.txt")).status == 200);
  require_healthy(server);
}

TEST_CASE("Reloads under continuous load fail no request", "[master][ch10]") {
  TempDir tmp;
  const uint16_t port = free_port();
  const std::string conf =
      tmp.write("kit.conf", config_text(chapter_under_test().root.string(), port, 2));
  ServerProcess server = start_chapter({"-c", conf});
  REQUIRE(server.port() == port);

  const LoadResult load = reload_under_load(server.pid(), port, 2, 3);
  const std::vector<pid_t>& first = load.workers_before;
  INFO("ok " << load.ok << ", failed " << load.failed << "\n" << server.stderr_text());
  CHECK(load.failed == 0);
  CHECK(load.ok > 100);
  const std::vector<pid_t> now = wait_for_workers(server.pid(), 2);
  CHECK(now.size() == 2);
  for (pid_t p : first)
    CHECK(std::find(now.begin(), now.end(), p) == now.end());  // every worker was replaced
  require_healthy(server);
}

TEST_CASE("A worker that cannot start is not respawned in a loop", "[master][ch10]") {
  TempDir tmp;
  const std::filesystem::path root = tmp.dir / "www";
  std::filesystem::create_directory(root);
  std::ofstream(root / "hello.txt") << "hello\n";
  const uint16_t port = free_port();
  std::string conf = config_text(root.string(), port, 2);
  conf.insert(conf.rfind("  }"), "    location = /status { stub_status; }\n");
  ServerProcess server = start_chapter({"-c", tmp.write("kit.conf", conf)});
  const std::vector<pid_t> first = wait_for_workers(server.pid(), 2);
  REQUIRE(first.size() == 2);
  // Both workers are past their set-up (they opened the root) once the status page lists
  // both: each takes its counters slot after that.
  for (int i = 0; i < 100; ++i) {
    const std::string page = fetch(port, get("/status?workers")).body;
    if (page.find("worker " + std::to_string(first[0])) != std::string::npos &&
        page.find("worker " + std::to_string(first[1])) != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  // The root goes away; the worker that replaces a killed one cannot open it.
  std::filesystem::remove_all(root);
  REQUIRE(::kill(first[0], SIGKILL) == 0);
  std::this_thread::sleep_for(1s);
  const std::string log = server.stderr_text();
  INFO(log);
  size_t starts = 0;
  for (size_t at = 0; (at = log.find("start worker process", at)) != std::string::npos; ++at)
    ++starts;
  CHECK(starts == 3);  // the two, and one replacement: not one per millisecond
  CHECK(log.find("exited with fatal code 2 and cannot be respawned") != std::string::npos);
  CHECK(workers_of(server.pid()) == std::vector<pid_t>{first[1]});
  CHECK(server.alive());  // the master stays, with the worker that still runs
}

TEST_CASE("error_log FILE LEVEL takes the log off stderr and reopens on SIGUSR1",
          "[master][ch10]") {
  TempDir tmp;
  const uint16_t port = free_port();
  const std::filesystem::path log = tmp.dir / "error.log";
  const std::string conf =
      tmp.write("kit.conf", "error_log " + log.string() + " info;\n" +
                                config_text(chapter_under_test().root.string(), port, 1));
  ServerProcess server = start_chapter({"-c", conf});
  REQUIRE(wait_for_workers(server.pid(), 1).size() == 1);
  REQUIRE(fetch(port, get("/hello.txt")).status == 200);
  const auto read = [](const std::filesystem::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  CHECK(read(log).find("start worker process") != std::string::npos);
  CHECK(server.stderr_text().find("start worker process") == std::string::npos);

  // logrotate: move the file away, then SIGUSR1 (-s reopen): a new file takes the lines.
  std::filesystem::rename(log, tmp.dir / "error.log.1");
  REQUIRE(::kill(server.pid(), SIGUSR1) == 0);
  std::string fresh;
  for (int i = 0; i < 50 && fresh.find("reopening logs") == std::string::npos; ++i) {
    std::this_thread::sleep_for(20ms);
    fresh = read(log);
  }
  CHECK(fresh.find("reopening logs") != std::string::npos);
  require_healthy(server);
}

TEST_CASE("A broken configuration on reload under load keeps the workers and fails no request",
          "[master][ch10]") {
  TempDir tmp;
  const uint16_t port = free_port();
  const std::string conf =
      tmp.write("kit.conf", config_text(chapter_under_test().root.string(), port, 1));
  ServerProcess server = start_chapter({"-c", conf});
  const std::vector<pid_t> first = wait_for_workers(server.pid(), 1);
  REQUIRE(first.size() == 1);
  const LoadResult load = load_while(port, [&] {
    tmp.write("kit.conf", "events {}\nhttp { server { listen 127.0.0.1:" + std::to_string(port) +
                              " bogus; } }\n");
    REQUIRE(::kill(server.pid(), SIGHUP) == 0);
    std::this_thread::sleep_for(500ms);
  });
  INFO("ok " << load.ok << ", failed " << load.failed);
  CHECK(load.failed == 0);
  CHECK(load.ok_after > 0);
  CHECK(workers_of(server.pid()) == first);
  CHECK(fetch(server.port(), get("/hello.txt")).status == 200);
  CHECK(server.stderr_text().find("kit.conf:2: invalid parameter \"bogus\"") != std::string::npos);
  require_healthy(server);
}

TEST_CASE("A graceful quit finishes a slow download, then everything exits", "[master][ch10]") {
  ServerProcess server = start_chapter({"--worker-processes", "1"});
  HttpClient slow(server.port(), ClientOptions{.timeout = 10s, .receive_buffer = 8192});
  slow.send(get("/1m.bin"));
  slow.receive_slowly(64 * 1024, 16 * 1024, 10ms);  // the download is in flight
  REQUIRE(::kill(server.pid(), SIGQUIT) == 0);
  std::this_thread::sleep_for(200ms);
  // No new connections once quitting...
  CHECK_THROWS(fetch(server.port(), get("/hello.txt")));
  // ...but the download in flight completes, byte for byte.
  const HttpResponse r = slow.read_response();
  CHECK(r.status == 200);
  CHECK(r.body == file_contents("1m.bin"));
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (server.alive() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(20ms);
  CHECK_FALSE(server.alive());
  CHECK(server.exit_description() == "exited with status 0");
}

}  // namespace blackbox

namespace blackbox {

TEST_CASE("stub_status counts the connections and requests of every worker", "[master][ch10]") {
  TempDir tmp;
  const uint16_t port = free_port();
  const std::string conf =
      tmp.write("kit.conf",
                "worker_processes 2;\nevents { worker_connections 1024; }\nhttp {\n  server {\n"
                "    listen 127.0.0.1:" +
                    std::to_string(port) + ";\n    root " + chapter_under_test().root.string() +
                    ";\n    location = /status { stub_status; }\n  }\n}\n");
  ServerProcess server = start_chapter({"-c", conf});
  for (int i = 0; i < 10; ++i)
    REQUIRE(fetch(port, get("/hello.txt")).status == 200);
  // Three idle keep-alive connections, each after one request.
  std::vector<std::unique_ptr<HttpClient>> idle;
  for (int i = 0; i < 3; ++i) {
    idle.push_back(std::make_unique<HttpClient>(port));
    idle.back()->send(get("/hello.txt"));
    REQUIRE(idle.back()->read_response().status == 200);
  }
  std::this_thread::sleep_for(100ms);
  const HttpResponse r = fetch(port, get("/status"));
  REQUIRE(r.status == 200);
  INFO(r.body);
  unsigned long active = 0, accepts = 0, handled = 0, requests = 0, reading = 0, writing = 0,
                waiting = 0;
  REQUIRE(std::sscanf(r.body.c_str(),
                      "Active connections: %lu \nserver accepts handled requests\n %lu %lu %lu \n"
                      "Reading: %lu Writing: %lu Waiting: %lu",
                      &active, &accepts, &handled, &requests, &reading, &writing, &waiting) == 7);
  CHECK(accepts == 14);  // 10 + 3 + the status request's own connection
  CHECK(handled == accepts);
  CHECK(requests == 13);  // the status request is counted once it has been answered
  CHECK(active == 4);
  CHECK(waiting >= 3);
  CHECK(r.header("Content-Type").value_or("") == "text/plain");
  require_healthy(server);
}

}  // namespace blackbox

namespace blackbox {

TEST_CASE("The access log writes combined lines and reopens on SIGUSR1", "[master][ch10]") {
  TempDir tmp;
  const uint16_t port = free_port();
  const std::string log = (tmp.dir / "access.log").string();
  const std::string conf = tmp.write(
      "kit.conf", "worker_processes 2;\nevents { }\nhttp {\n  access_log " + log +
                      " combined;\n  server {\n    listen 127.0.0.1:" + std::to_string(port) +
                      ";\n    root " + chapter_under_test().root.string() + ";\n  }\n}\n");
  ServerProcess server = start_chapter({"-c", conf});
  REQUIRE(fetch(port, get("/hello.txt", "Referer: http://x/\"q\"\r\nUser-Agent: t/1\r\n")).status ==
          200);
  REQUIRE(fetch(port, request("HEAD", "/missing"), /*to_head=*/true).status == 404);
  const auto read_all = [](const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  std::this_thread::sleep_for(100ms);
  const std::string text = read_all(log);
  INFO(text);
  const size_t size = file_contents("hello.txt").size();
  CHECK(text.find("127.0.0.1 - - [") == 0);
  CHECK(text.find("] \"GET /hello.txt HTTP/1.1\" 200 " + std::to_string(size) +
                  " \"http://x/\\x22q\\x22\" \"t/1\"\n") != std::string::npos);
  CHECK(text.find("\"HEAD /missing HTTP/1.1\" 404 ") != std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') == 2);

  // logrotate: rename, then SIGUSR1 to the master; new lines go to a new file.
  std::filesystem::rename(log, log + ".1");
  REQUIRE(::kill(server.pid(), SIGUSR1) == 0);
  std::this_thread::sleep_for(700ms);  // a worker notices within its 500 ms signal check
  for (int i = 0; i < 4; ++i)          // reaches both workers with high probability
    REQUIRE(fetch(port, get("/hello.txt")).status == 200);
  std::this_thread::sleep_for(100ms);
  const std::string rotated = read_all(log + ".1");
  CHECK(std::count(rotated.begin(), rotated.end(), '\n') == 2);
  const std::string fresh = read_all(log);
  CHECK(std::count(fresh.begin(), fresh.end(), '\n') == 4);
  require_healthy(server);
}

}  // namespace blackbox
