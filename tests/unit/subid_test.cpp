#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "rootless/idmap.hpp"
#include "rootless/subid.hpp"

using pod::rootless::IdMapEntry;
using pod::rootless::IdRange;
using pod::rootless::parse_subid_ranges;

TEST_CASE("subid lines are matched by user name or numeric uid, in file order", "[subid]") {
  const char* text =
      "# comment\n"
      "alice:100000:65536\n"
      "bob:165536:65536\n"
      "\n"
      "1001:300000:1000\n"
      "alice:400000:10\r\n";
  CHECK(parse_subid_ranges(text, "alice", 1000) == std::vector<IdRange>{{100000, 65536}, {400000, 10}});
  CHECK(parse_subid_ranges(text, "bob", 1001) == std::vector<IdRange>{{165536, 65536}, {300000, 1000}});
  CHECK(parse_subid_ranges(text, "carol", 1002).empty());
}

TEST_CASE("malformed subid lines are skipped", "[subid]") {
  const char* lines[] = {
      "alice:100000",           // missing count
      "alice:abc:65536",        // not a number
      "alice:100000:0",         // empty range
      "alice:-1:10",            // negative
      "alice:4294967295:10",    // past the id space
      "alice:100000:65536:x",   // trailing field
      "alice::65536",           // empty start
  };
  for (const char* line : lines) {
    INFO(line);
    CHECK(parse_subid_ranges(line, "alice", 1000).empty());
  }
}

TEST_CASE("a missing subid file means no ranges", "[subid]") {
  CHECK(pod::rootless::read_subid_ranges("/nonexistent/subuid", "alice", 1000).empty());
}

TEST_CASE("a subid file is read from disk", "[subid]") {
  char path[] = "/tmp/pod-subid-test.XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  std::ofstream(path) << "alice:100000:65536\n";
  const auto ranges = pod::rootless::read_subid_ranges(path, "alice", 1000);
  std::remove(path);
  CHECK(ranges == std::vector<IdRange>{{100000, 65536}});
  CHECK(pod::rootless::total_ids(ranges) == 65536);
}

TEST_CASE("the rootless id map puts the user's own id at 0 and the ranges after it", "[subid]") {
  const auto map = pod::rootless::rootless_id_map(1000, {{100000, 65536}, {300000, 10}});
  REQUIRE(map.size() == 3);
  CHECK((map[0].container_id == 0 && map[0].host_id == 1000 && map[0].size == 1));
  CHECK((map[1].container_id == 1 && map[1].host_id == 100000 && map[1].size == 65536));
  CHECK((map[2].container_id == 65537 && map[2].host_id == 300000 && map[2].size == 10));
  const auto single = pod::rootless::rootless_id_map(1000, {});
  REQUIRE(single.size() == 1);
  CHECK(single[0].size == 1);
}
