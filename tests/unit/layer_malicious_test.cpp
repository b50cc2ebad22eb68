// A malicious-layer corpus (STYLE.md §8): every layer here must fail with a clear error or stay
// inside the layer root. Run with openat2 and again with the fallback walker.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "libcore/stream.hpp"
#include "libcore/sys/error.hpp"
#include "storage/layer/apply.hpp"
#include "storage/layer/safe_path.hpp"
#include "tests/unit/layer_test_util.hpp"

using layer_test::can_chown;
using layer_test::exists;
using layer_test::FallbackGuard;
using layer_test::lstat_of;
using layer_test::read_file;
using layer_test::TarBuilder;
using layer_test::TempTree;
namespace detail = pod::storage::detail;

namespace {

// A directory outside the layer a malicious layer aims at; it must stay as it is.
struct Outside {
  Outside() {
    std::string tmpl = "/tmp/pod-layer-outside-XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    std::ofstream(dir + "/secret") << "secret";
  }
  ~Outside() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
    return names;
  }
  std::string dir;
};

struct Case {
  std::string name;
  std::function<std::string(const TempTree&, const Outside&)> tar;
  std::string error;  // expected in the message; empty: must apply and stay inside
  std::function<void(const TempTree&, const Outside&)> check = {};
};

const std::string kCanary = "pod-layer-canary-" + std::to_string(::getpid());

std::vector<Case> corpus() {
  return {
      {"dot-dot", [](auto&, auto&) { return TarBuilder().file("../evil", "x").build(); }, "`../evil`: path is outside of the layer"},
      {"dot-dot inside", [](auto&, auto&) { return TarBuilder().file("a/../../evil", "x").build(); },
       "outside of the layer"},
      {"bare dot-dot", [](auto&, auto&) { return TarBuilder().dir("..").build(); }, "outside of the layer"},
      {"absolute name",
       [](auto&, auto&) { return TarBuilder().file("/abs/file", "x").build(); }, "",
       [](const TempTree& t, auto&) { CHECK(read_file(t.path("abs/file")) == "x"); }},
      {"symlink to / then a file through it",
       [](auto&, auto&) { return TarBuilder().symlink("link", "/").file("link/tmp/" + kCanary, "x").build(); }, "",
       [](const TempTree& t, auto&) {
         CHECK(read_file(t.path("tmp/" + kCanary)) == "x");
         CHECK_FALSE(exists("/tmp/" + kCanary));
       }},
      {"symlink to the outside dir then a file through it",
       [](auto&, const Outside& o) { return TarBuilder().symlink("link", o.dir).file("link/evil", "x").build(); },
       "symlink to nowhere"},
      {"symlink climbing up then a file through it",
       [](auto&, auto&) { return TarBuilder().symlink("up", "../../..").file("up/evil", "x").build(); }, "",
       [](const TempTree& t, auto&) { CHECK(read_file(t.path("evil")) == "x"); }},
      {"hardlink outside", [](auto&, auto&) { return TarBuilder().hardlink("h", "../../etc/passwd").build(); },
       "hardlink target `../../etc/passwd` is outside of the layer"},
      {"hardlink through a symlink to the outside dir",
       [](auto&, const Outside& o) { return TarBuilder().symlink("sd", o.dir).hardlink("h", "sd/secret").build(); },
       "hardlink target `sd/secret` does not exist in the layer"},
      {"hardlink to an absolute path",
       [](auto&, const Outside& o) { return TarBuilder().hardlink("h", o.dir + "/secret").build(); },
       "does not exist in the layer"},
      {"hardlink to a symlink pointing outside, then written through",
       [](auto&, const Outside& o) {
         return TarBuilder().symlink("s", o.dir + "/secret").hardlink("h", "s").file("h", "pwned").file("s", "pwned").build();
       },
       "",
       [](const TempTree& t, auto&) {
         CHECK(read_file(t.path("h")) == "pwned");
         CHECK(read_file(t.path("s")) == "pwned");
       }},
      {"hardlink to a symlink pointing outside, then a file below it",
       [](auto&, const Outside& o) {
         return TarBuilder().symlink("s", o.dir).hardlink("h", "s").file("h/evil", "x").build();
       },
       "symlink to nowhere"},
      {"directory replaced by a symlink to outside, then a file under it",
       [](auto&, const Outside& o) { return TarBuilder().dir("d").symlink("d", o.dir).file("d/evil", "x").build(); },
       "symlink to nowhere"},
      {"directory replaced by a symlink to /, then a file under it",
       [](auto&, auto&) { return TarBuilder().dir("d").file("d/old", "o").symlink("d", "/").file("d/evil", "x").build(); },
       "", [](const TempTree& t, auto&) { CHECK(read_file(t.path("evil")) == "x"); }},
      {"whiteout of ..", [](auto&, auto&) { return TarBuilder().file(".wh..", "").build(); }, "invalid whiteout `.wh..`"},
      {"whiteout of dot-dot-dot", [](auto&, auto&) { return TarBuilder().file("a/.wh...", "").build(); }, "invalid whiteout"},
      {"whiteout outside", [](auto&, auto&) { return TarBuilder().file("../.wh.x", "").build(); }, "outside of the layer"},
      {"whiteout through a symlink to outside",
       [](auto&, const Outside& o) { return TarBuilder().symlink("w", o.dir).file("w/.wh.secret", "").build(); },
       "symlink to nowhere"},
      {"opaque dir through a symlink to outside",
       [](auto&, const Outside& o) { return TarBuilder().symlink("w", o.dir).file("w/.wh..wh..opq", "").build(); },
       "symlink to nowhere"},
      {"symlink loop", [](auto&, auto&) { return TarBuilder().symlink("l1", "l2").symlink("l2", "l1").file("l1/x", "x").build(); },
       "Too many levels of symbolic links"},
      {"a file as a parent", [](auto&, auto&) { return TarBuilder().file("f", "x").file("f/g", "y").build(); },
       "Not a directory"},
      {"the root replaced by a symlink", [](auto&, auto&) { return TarBuilder().symlink(".", "/etc").build(); },
       "cannot replace the root"},
      {"device disguised as a whiteout target outside",
       [](auto&, auto&) { return TarBuilder().node("../null", AE_IFCHR, 0, 0).build(); }, "outside of the layer"},
  };
}

void run_corpus(bool fallback) {
  const FallbackGuard guard(fallback);
  const std::string passwd_before = layer_test::read_file("/etc/passwd");
  for (const auto& c : corpus()) {
    INFO("case: " << c.name << (fallback ? " (openat2 fallback)" : ""));
    TempTree tree;
    Outside outside;
    pod::storage::ApplyOptions opts;
    opts.layer_name = "evil";
    opts.chown = can_chown();
    opts.rootless = true;
    const std::string tar = c.tar(tree, outside);
    pod::core::StringReader reader(tar);
    if (c.error.empty()) {
      REQUIRE_NOTHROW(pod::storage::apply_layer(reader, tree.target_fd.get(), opts));
      if (c.check) c.check(tree, outside);
    } else {
      try {
        pod::storage::apply_layer(reader, tree.target_fd.get(), opts);
        FAIL("no error");
      } catch (const pod::Error& e) {
        CHECK_THAT(e.message(), Catch::Matchers::StartsWith("applying layer `evil`: entry `"));
        CHECK_THAT(e.message(), Catch::Matchers::Contains(c.error));
      }
    }
    CHECK(tree.parent_entries() == std::vector<std::string>{"target"});
    CHECK(outside.entries() == std::vector<std::string>{"secret"});
    CHECK(read_file(outside.dir + "/secret") == "secret");
    CHECK(lstat_of(outside.dir + "/secret").st_nlink == 1);
  }
  CHECK_FALSE(exists("/tmp/" + kCanary));
  CHECK_FALSE(exists("/evil"));
  CHECK(layer_test::read_file("/etc/passwd") == passwd_before);
}

// root/a/ root/file root/abs -> /a root/rel -> ../../a root/loop1 <-> loop2 root/dangling -> /nope
struct ResolveTree {
  ResolveTree() {
    REQUIRE(::mkdir(tree.path("a").c_str(), 0755) == 0);
    std::ofstream(tree.path("file")) << "f";
    REQUIRE(::symlink("/a", tree.path("abs").c_str()) == 0);
    REQUIRE(::symlink("../../a", tree.path("rel").c_str()) == 0);
    REQUIRE(::symlink("loop2", tree.path("loop1").c_str()) == 0);
    REQUIRE(::symlink("loop1", tree.path("loop2").c_str()) == 0);
    REQUIRE(::symlink("/nope", tree.path("dangling").c_str()) == 0);
  }
  ino_t inode_of(const std::string& path, int flags) {
    const auto fd = detail::open_in_root(tree.target_fd.get(), path, flags);
    struct stat st {};
    REQUIRE(::fstat(fd.get(), &st) == 0);
    return st.st_ino;
  }
  TempTree tree;
};

}  // namespace

TEST_CASE("malicious layers fail or stay inside (openat2)", "[layer]") { run_corpus(false); }

TEST_CASE("malicious layers fail or stay inside (openat2 fallback walker)", "[layer]") { run_corpus(true); }

TEST_CASE("names are cleaned lexically like containers/storage does", "[layer]") {
  using Parts = detail::PathParts;
  CHECK(detail::try_clean_path("./a//b/./c/") == Parts{"a", "b", "c"});
  CHECK(detail::try_clean_path("/etc/passwd") == Parts{"etc", "passwd"});
  CHECK(detail::try_clean_path("a/../b") == Parts{"b"});
  CHECK(detail::try_clean_path("./") == Parts{});
  CHECK(detail::try_clean_path("..") == std::nullopt);
  CHECK(detail::try_clean_path("a/../../b") == std::nullopt);
  CHECK(detail::try_clean_path("/../x") == std::nullopt);
}

TEST_CASE("open_in_root keeps symlinks inside the root", "[layer]") {
  const bool fallback = GENERATE(false, true);
  INFO("fallback walker: " << fallback);
  const FallbackGuard guard(fallback);
  ResolveTree r;
  const int dir = O_PATH | O_DIRECTORY;
  const ino_t a = lstat_of(r.tree.path("a")).st_ino;
  const ino_t root = lstat_of(r.tree.target).st_ino;
  CHECK(r.inode_of("abs", dir) == a);
  CHECK(r.inode_of("/rel", dir) == a);
  CHECK(r.inode_of("../../..", dir) == root);
  CHECK(r.inode_of("", dir) == root);
  CHECK(r.inode_of("a/../..", dir) == root);
  CHECK(r.inode_of("abs/../abs/.", dir) == a);
  const auto link = detail::open_in_root(r.tree.target_fd.get(), "abs", O_PATH | O_NOFOLLOW);
  struct stat st {};
  REQUIRE(::fstat(link.get(), &st) == 0);
  CHECK(S_ISLNK(st.st_mode));
  const auto file = detail::open_in_root(r.tree.target_fd.get(), "a/../file", O_RDONLY);
  char c = 0;
  CHECK(::read(file.get(), &c, 1) == 1);
  CHECK(c == 'f');
  CHECK_FALSE(detail::try_open_in_root(r.tree.target_fd.get(), "dangling", O_PATH));
  CHECK_FALSE(detail::try_open_in_root(r.tree.target_fd.get(), "a/missing", O_PATH));
  REQUIRE_THROWS_WITH(detail::open_in_root(r.tree.target_fd.get(), "loop1", O_PATH), Catch::Matchers::Contains("Too many levels"));
  REQUIRE_THROWS_WITH(detail::open_in_root(r.tree.target_fd.get(), "file/x", O_PATH), Catch::Matchers::Contains("Not a directory"));
  REQUIRE_THROWS_WITH(detail::open_in_root(r.tree.target_fd.get(), "file", O_PATH | O_DIRECTORY),
                      Catch::Matchers::Contains("Not a directory"));
  REQUIRE_THROWS_WITH(detail::open_in_root(r.tree.target_fd.get(), "abs", O_RDONLY | O_NOFOLLOW),
                      Catch::Matchers::Contains("Too many levels"));
}

TEST_CASE("mkdir_all_in_root makes directories through symlinks, inside", "[layer]") {
  const bool fallback = GENERATE(false, true);
  INFO("fallback walker: " << fallback);
  const FallbackGuard guard(fallback);
  ResolveTree r;
  detail::mkdir_all_in_root(r.tree.target_fd.get(), {"abs", "x", "y"}, 3);
  CHECK(S_ISDIR(lstat_of(r.tree.path("a/x/y")).st_mode));
  CHECK((lstat_of(r.tree.path("a/x")).st_mode & 07777) == 0755);
  REQUIRE_THROWS_WITH(detail::mkdir_all_in_root(r.tree.target_fd.get(), {"dangling", "x"}, 2),
                      Catch::Matchers::Contains("symlink to nowhere"));
  REQUIRE_THROWS_WITH(detail::mkdir_all_in_root(r.tree.target_fd.get(), {"file", "x"}, 2),
                      Catch::Matchers::Contains("Not a directory"));
}
