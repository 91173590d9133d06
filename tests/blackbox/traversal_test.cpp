// Path traversal: no request-target, however encoded, may reach a file outside the document
// root. The answer is 400 (a ".." that climbs above "/") or 404 (a path that, once
// normalised, simply is not below the root) — never 200 with /etc/passwd.
#include <catch2/catch.hpp>

#include "expectations.hpp"
#include "http_client.hpp"
#include "suite_config.hpp"

namespace blackbox {

TEST_CASE("Traversal attempts never leave the document root", "[traversal][ch00]") {
  const Expectation& e = expectation("traversal");
  INFO(e.why);
  const std::vector<std::string> targets{
      "/../etc/passwd",
      "/../../../../../../etc/passwd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
      "/..%2fetc/passwd",
      "/..%2f..%2f..%2fetc%2fpasswd",
      "/docs/../../etc/passwd",
      "//etc/passwd",
      "/./../etc/passwd",
      "/..\\..\\etc\\passwd",
      "/%00/etc/passwd",
  };
  ServerProcess server = start_chapter();
  for (const std::string& target : targets) {
    INFO("GET " << target);
    HttpResponse r = fetch(server.port(), get(target));
    CHECK((r.status == 400 || r.status == 404));
    CHECK(r.body.find("root:") == std::string::npos);
  }
  require_healthy(server);
}

}  // namespace blackbox
