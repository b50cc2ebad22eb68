#include <catch2/catch.hpp>

#include "tests/unit/test_support.hpp"

#include <map>

#include "libcore/sys/error.hpp"
#include "storage/store_paths.hpp"

using pod::test::fake_env;

namespace {


}  // namespace

TEST_CASE("root uses the system store", "[store_paths]") {
  const auto p = pod::storage::default_store_paths(0, fake_env({{"HOME", "/root"}}));
  CHECK(p.root == "/var/lib/pod");
  CHECK(p.runroot == "/run/pod");
}

TEST_CASE("a rootless user's store follows the XDG variables", "[store_paths]") {
  const auto p = pod::storage::default_store_paths(
      1000, fake_env({{"HOME", "/home/a"}, {"XDG_DATA_HOME", "/d"}, {"XDG_RUNTIME_DIR", "/run/user/1000"}}));
  CHECK(p.root == "/d/pod");
  CHECK(p.runroot == "/run/user/1000/pod");
}

TEST_CASE("without XDG variables the store falls back to HOME and /tmp", "[store_paths]") {
  const auto p = pod::storage::default_store_paths(1000, fake_env({{"HOME", "/home/a"}}));
  CHECK(p.root == "/home/a/.local/share/pod");
  CHECK(p.runroot == "/tmp/pod-run-1000");
}

TEST_CASE("a rootless user with no HOME gets a clear error", "[store_paths]") {
  REQUIRE_THROWS_WITH(pod::storage::default_store_paths(1000, fake_env({})),
                      Catch::Contains("neither $XDG_DATA_HOME nor $HOME is set"));
}
