// Chapter 10 — master and workers: both cores, reload without dropping a request.
//
// Chapter 09 is one process on one core, configured by flags, stopped by killing it. nginx's
// answer: a master process binds the listening socket and forks `worker_processes` workers
// that all accept from it, each running chapter 09's loop. The master handles no traffic; it
// reads nginx.conf, watches its workers and obeys signals — SIGHUP re-reads the configuration
// and replaces the workers without refusing a connection, SIGQUIT finishes in-flight requests
// before exiting, SIGTERM exits now, and a worker that dies is respawned at once.
//
//   ch10-master-worker -c nginx.conf        run with a configuration file (nginx's directives)
//   ch10-master-worker -c nginx.conf -t     test the file: exit 0 or 1, like `nginx -t`
//   ch10-master-worker -c nginx.conf -s reload|quit|stop|reopen   signal the running master
//   ch10-master-worker --port 8080 --worker-processes 2            no file: flags, as before
//
// The lesson is in lib/, where chapter 11 takes it from (read in this order):
//   process/master_main      -c, -t, -s; a configuration becomes a generation of workers
//   process/master_process   the master: fork, sigsuspend, SIGHUP/QUIT/TERM/CHLD, respawn
//   process/worker_process   a worker: chapter 09's EventCycle plus SIGQUIT and SIGTERM
//   process/signals, config/ (nginx.conf), process/shared_memory + http/stub_status (the
//   status page, counted across workers), http/access_log.
// What stays here is what chapter 10 refuses: every worker accepts from the one shared
// socket, with no coordination; the ways to share it better are chapter 11.
#include "config/server_config.hpp"
#include "process/master_main.hpp"

int main(int argc, char** argv) {
  kit::MasterChapter chapter;
  chapter.name = "ch10-master-worker";
  chapter.lesson =
      "Chapter 10: a master process and worker processes running chapter 09's loop; "
      "nginx.conf, -t, -s reload|quit|stop|reopen, zero-downtime reload.";
  chapter.check_supported = [](const kit::config::ServerConfig& c) {
    const kit::config::Listen& listen = c.servers[0].listens[0];
    if (listen.reuseport || listen.exclusive || c.accept_mutex) {
      throw kit::config::ConfigError(
          c.file, 0, "accept_mutex on and listen ... reuseport/exclusive are chapter 11's");
    }
  };
  return kit::master_main(argc, argv, chapter);
}
