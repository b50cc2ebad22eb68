#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>

#include "rootless/idmap.hpp"

namespace {

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& content) {
    char templ[] = "/tmp/pod-idmap-test.XXXXXX";
    const int fd = mkstemp(templ);
    REQUIRE(fd >= 0);
    close(fd);
    path = templ;
    std::ofstream(path) << content;
  }
  ~TempFile() { std::remove(path.c_str()); }
};

}  // namespace

TEST_CASE("full ranges give the user 0 and the subordinate ids 1..", "[idmap]") {
  TempFile uids("alice:100000:65536\n");
  TempFile gids("alice:200000:65536\n");
  const auto plan = pod::rootless::plan_id_maps(1000, 1000, "alice", {uids.path, gids.path});
  CHECK_FALSE(plan.single_id);
  CHECK(plan.error.empty());
  CHECK(plan.warnings.empty());
  CHECK(pod::rootless::format_id_map(plan.uid_map) == "0 1000 1\n1 100000 65536\n");
  CHECK(pod::rootless::format_id_map(plan.gid_map) == "0 1000 1\n1 200000 65536\n");
}

TEST_CASE("no ranges fall back to a single id with one warning naming both files and the fix", "[idmap]") {
  TempFile empty("");
  const auto plan = pod::rootless::plan_id_maps(1000, 1001, "alice", {empty.path, empty.path});
  CHECK(plan.single_id);
  REQUIRE(plan.warnings.size() == 1);
  CHECK_THAT(plan.warnings[0], Catch::Contains("no subordinate ids for user `alice` in " + empty.path + " and " + empty.path));
  CHECK_THAT(plan.warnings[0], Catch::Contains("fix: sudo usermod --add-subuids"));
  CHECK(pod::rootless::format_id_map(plan.uid_map) == "0 1000 1\n");
  CHECK(pod::rootless::format_id_map(plan.gid_map) == "0 1001 1\n");
}

TEST_CASE("ranges too small for images are an error with the fix", "[idmap]") {
  TempFile uids("alice:100000:1000\n");
  TempFile gids("alice:100000:65536\n");
  const auto plan = pod::rootless::plan_id_maps(1000, 1000, "alice", {uids.path, gids.path});
  CHECK_THAT(plan.error, Catch::Contains("has only 1000 subordinate ids in " + uids.path));
  CHECK_THAT(plan.error, Catch::Contains("images need 65536"));
}

TEST_CASE("several ranges add up", "[idmap]") {
  TempFile uids("alice:100000:40000\nalice:300000:30000\n");
  const auto plan = pod::rootless::plan_id_maps(1000, 1000, "alice", {uids.path, uids.path});
  CHECK(plan.error.empty());
  CHECK(pod::rootless::format_id_map(plan.uid_map) == "0 1000 1\n1 100000 40000\n40001 300000 30000\n");
}
