// lib/static/mime_types.hpp
#include "static/mime_types.hpp"

#include <catch2/catch.hpp>

using kit::http::mime_type_for;

TEST_CASE("types come from the extension, case-insensitively", "[ch00][mime_types]") {
  CHECK(mime_type_for("/index.html") == "text/html; charset=utf-8");
  CHECK(mime_type_for("/a/b/PHOTO.JPG") == "image/jpeg");
  CHECK(mime_type_for("/x.tar.gz") == "application/gzip");
  CHECK(mime_type_for("style.css") == "text/css; charset=utf-8");
}

TEST_CASE("no or unknown extension is application/octet-stream", "[ch00][mime_types]") {
  CHECK(mime_type_for("/README") == "application/octet-stream");
  CHECK(mime_type_for("/.hidden") == "application/octet-stream");
  CHECK(mime_type_for("/a.html/b") == "application/octet-stream");
  CHECK(mime_type_for("/x.unknownext") == "application/octet-stream");
  CHECK(mime_type_for("/dir.d/") == "application/octet-stream");
}
