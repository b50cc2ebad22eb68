// storage/layer/diff: a layer directory back to a tar — whiteouts, opaque dirs, links —
// round-tripped through apply, and the same tree always giving the same bytes.
#include <catch2/catch.hpp>

#include "layer_test_util.hpp"
#include "libcore/digest.hpp"
#include "libcore/stream.hpp"
#include "storage/layer/apply.hpp"
#include "storage/layer/diff.hpp"

using layer_test::can_chown;
using layer_test::lstat_of;
using layer_test::read_file;
using layer_test::read_link;
using layer_test::TarBuilder;
using layer_test::TempTree;

namespace {

pod::storage::ApplyOptions apply_options() {
  pod::storage::ApplyOptions o;
  o.layer_name = "diff-test";
  o.chown = can_chown();
  return o;
}

void apply_to(const TempTree& tree, const std::string& tar) {
  pod::core::StringReader reader(tar);
  pod::storage::apply_layer(reader, tree.target_fd.get(), apply_options());
}

std::string diff_of(const std::string& dir, std::optional<std::int64_t> timestamp = std::nullopt) {
  pod::storage::DiffOptions o;
  o.timestamp = timestamp;
  std::string out;
  pod::storage::write_layer_tar(dir, o, [&](const char* data, std::size_t n) { out.append(data, n); });
  return out;
}

std::string source_layer() {
  return TarBuilder()
      .dir("etc")
      .file("etc/conf", "value", 0640)
      .file("usr/bin/tool", "elf", 0755)
      .hardlink("usr/bin/alias", "usr/bin/tool")
      .symlink("usr/bin/sh", "/bin/busybox")
      .file("gone/.wh.removed", "")
      .dir("opaque")
      .file("opaque/.wh..wh..opq", "")
      .file("opaque/kept", "k")
      .build();
}

}  // namespace

TEST_CASE("a layer directory written back as a tar applies to the same tree", "[layer][diff]") {
  TempTree first;
  apply_to(first, source_layer());
  const std::string tar = diff_of(first.target);
  CHECK(tar.find(".wh.removed") != std::string::npos);
  CHECK(tar.find("opaque/.wh..wh..opq") != std::string::npos);
  CHECK(tar.find("user.overlay.opaque") == std::string::npos);  // overlay's own xattr is not carried
  TempTree second;
  apply_to(second, tar);
  CHECK(read_file(second.path("etc/conf")) == "value");
  CHECK((lstat_of(second.path("etc/conf")).st_mode & 07777) == 0640);
  CHECK(lstat_of(second.path("usr/bin/alias")).st_ino == lstat_of(second.path("usr/bin/tool")).st_ino);
  CHECK(read_link(second.path("usr/bin/sh")) == "/bin/busybox");
  const auto whiteout = lstat_of(second.path("gone/removed"));
  CHECK(S_ISCHR(whiteout.st_mode));
  CHECK(whiteout.st_rdev == 0);
  CHECK(read_file(second.path("opaque/kept")) == "k");
  CHECK(diff_of(second.target, 0) == diff_of(first.target, 0));
}

TEST_CASE("the same tree with a pinned timestamp is the same bytes; without, times are kept", "[layer][diff]") {
  TempTree tree;
  apply_to(tree, source_layer());
  const std::string a = diff_of(tree.target, 0);
  ::utimensat(AT_FDCWD, tree.path("etc/conf").c_str(), nullptr, 0);  // now
  const std::string b = diff_of(tree.target, 0);
  CHECK(pod::core::digest_of(a) == pod::core::digest_of(b));
  CHECK(diff_of(tree.target) != a);
  TempTree empty;
  CHECK(diff_of(empty.target).size() % 512 == 0);  // an empty layer is a valid (empty) tar
}
