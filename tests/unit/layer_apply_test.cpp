#include "storage/layer/apply.hpp"

#include <sched.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>

#include "libcore/stream.hpp"
#include "libcore/sys/error.hpp"
#include "tests/unit/layer_test_util.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using layer_test::can_chown;
using layer_test::exists;
using layer_test::lstat_of;
using layer_test::read_file;
using layer_test::read_link;
using layer_test::TarBuilder;
using layer_test::TempTree;
using pod::storage::apply_layer;
using pod::storage::ApplyOptions;
using pod::storage::ApplyResult;

namespace {

ApplyOptions options() {
  ApplyOptions opts;
  opts.layer_name = "test";
  opts.chown = can_chown();
  return opts;
}

ApplyResult apply_tar(const TempTree& tree, const std::string& tar, const ApplyOptions& opts = options()) {
  pod::core::StringReader reader(tar);
  return apply_layer(reader, tree.target_fd.get(), opts);
}

// Yields `data`, then throws `error` instead of reporting the end.
class FailingReader final : public pod::core::Reader {
 public:
  FailingReader(std::string data, pod::Error error) : data_(std::move(data)), error_(std::move(error)) {}
  std::size_t read(void* buffer, std::size_t size) override {
    if (data_.empty()) throw error_;
    const std::size_t n = std::min(size, data_.size());
    std::memcpy(buffer, data_.data(), n);
    data_.erase(0, n);
    return n;
  }

 private:
  std::string data_;
  pod::Error error_;
};

// Counts what was read, to see that the stream was read to its end.
class CountingReader final : public pod::core::Reader {
 public:
  explicit CountingReader(std::string_view data) : inner_(data), size_(data.size()) {}
  std::size_t read(void* buffer, std::size_t size) override {
    const std::size_t n = inner_.read(buffer, size);
    count_ += n;
    return n;
  }
  bool at_end() const { return count_ == size_; }

 private:
  pod::core::StringReader inner_;
  std::size_t size_;
  std::size_t count_ = 0;
};

// An error only an unprivileged user outside a user namespace gets: then the case is skipped.
bool skipped_for_eperm(const std::function<void()>& fn, const char* what) {
  try {
    fn();
    return false;
  } catch (const pod::SysError& e) {
    if (e.error_number() != EPERM || ::geteuid() == 0) throw;
    WARN("skipped: " << what << " needs root or a user namespace: " << e.what());
    return true;
  }
}

}  // namespace

TEST_CASE("regular files keep content and mode; parents are made", "[layer]") {
  TempTree tree;
  const std::string big(300 * 1024 + 7, 'x');  // more than one copy chunk
  const auto result = apply_tar(tree, TarBuilder().file("a/b/c.txt", "hello", 0640).file("big", big).build());
  CHECK(result.entries == 2);
  CHECK(result.bytes == 5 + big.size());
  CHECK(read_file(tree.path("a/b/c.txt")) == "hello");
  CHECK((lstat_of(tree.path("a/b/c.txt")).st_mode & 07777) == 0640);
  CHECK((lstat_of(tree.path("a")).st_mode & 07777) == 0755);  // implicit parents
  CHECK(S_ISDIR(lstat_of(tree.path("a/b")).st_mode));
  CHECK(read_file(tree.path("big")) == big);
}

TEST_CASE("setuid survives the chown and the owner is the tar's", "[layer]") {
  TempTree tree;
  apply_tar(tree, TarBuilder().file("bin/su", "#!", 04755, 1000, 1001).file("bin/wall", "#!", 02755, 0, 5).build());
  const auto su = lstat_of(tree.path("bin/su"));
  CHECK((su.st_mode & 07777) == 04755);
  CHECK((lstat_of(tree.path("bin/wall")).st_mode & 07777) == 02755);
  if (can_chown()) {
    CHECK(su.st_uid == 1000);
    CHECK(su.st_gid == 1001);
  } else {
    WARN("not root: ownership not checked (chown = false)");
  }
}

TEST_CASE("links, fifos and empty directories", "[layer]") {
  TempTree tree;
  apply_tar(tree, TarBuilder()
                  .file("usr/bin/busybox", "elf")
                  .hardlink("bin/sh", "usr/bin/busybox")
                  .hardlink("usr/bin/ls", "/usr/bin/busybox")
                  .symlink("abs", "/etc/passwd")
                  .symlink("rel", "../../x")
                  .node("run/fifo", AE_IFIFO, 0, 0, 0600)
                  .dir("empty", 0700)
                  .build());
  const auto target = lstat_of(tree.path("usr/bin/busybox"));
  CHECK(lstat_of(tree.path("bin/sh")).st_ino == target.st_ino);
  CHECK(lstat_of(tree.path("usr/bin/ls")).st_ino == target.st_ino);
  CHECK(target.st_nlink == 3);
  CHECK(read_link(tree.path("abs")) == "/etc/passwd");
  CHECK(read_link(tree.path("rel")) == "../../x");
  const auto fifo = lstat_of(tree.path("run/fifo"));
  CHECK(S_ISFIFO(fifo.st_mode));
  CHECK((fifo.st_mode & 07777) == 0600);
  const auto empty = lstat_of(tree.path("empty"));
  CHECK(S_ISDIR(empty.st_mode));
  CHECK((empty.st_mode & 07777) == 0700);
}

TEST_CASE("directory times and modes are set after their children", "[layer]") {
  TempTree tree;
  apply_tar(tree, TarBuilder()
                  .dir("d", 0555, 1000000)
                  .dir("d/sub", 0750, 2000000)
                  .file("d/sub/x", "x")
                  .file("d/y", "y")
                  .build());
  const auto d = lstat_of(tree.path("d"));
  CHECK(d.st_mtim.tv_sec == 1000000);
  CHECK((d.st_mode & 07777) == 0555);
  CHECK(lstat_of(tree.path("d/sub")).st_mtim.tv_sec == 2000000);
  CHECK((lstat_of(tree.path("d/sub")).st_mode & 07777) == 0750);
  CHECK(read_file(tree.path("d/sub/x")) == "x");
  CHECK(lstat_of(tree.path("d/y")).st_mtim.tv_sec == 1700000000);
}

TEST_CASE("the root entry sets the layer root's metadata", "[layer]") {
  TempTree tree;
  apply_tar(tree, TarBuilder().dir("./", 0751, 1234567).file("./f", "f").build());
  const auto root = lstat_of(tree.target);
  CHECK((root.st_mode & 07777) == 0751);
  CHECK(root.st_mtim.tv_sec == 1234567);
  CHECK(read_file(tree.path("f")) == "f");
  REQUIRE_THROWS_WITH(apply_tar(tree, TarBuilder().symlink("/", "x").build()), Contains("cannot replace the root"));
}

TEST_CASE("later entries replace earlier ones; directories merge", "[layer]") {
  TempTree tree;
  apply_tar(tree, TarBuilder()
                  .file("a", "file first")
                  .dir("a")              // file -> directory
                  .file("a/keep", "k")
                  .dir("a", 0700)        // directory meets directory: kept, metadata updated
                  .dir("b")
                  .file("b/c/deep", "d")
                  .file("b", "now a file")  // directory -> file, removed recursively
                  .symlink("s", "x")
                  .file("s", "over a symlink")
                  .file("dup", "one")
                  .file("dup", "two")
                  .build());
  CHECK(read_file(tree.path("a/keep")) == "k");
  CHECK((lstat_of(tree.path("a")).st_mode & 07777) == 0700);
  CHECK(read_file(tree.path("b")) == "now a file");
  CHECK(S_ISREG(lstat_of(tree.path("s")).st_mode));
  CHECK(read_file(tree.path("dup")) == "two");
}

TEST_CASE("whiteouts become overlay char 0/0 devices", "[layer]") {
  TempTree tree;
  if (skipped_for_eperm([&] { apply_tar(tree, TarBuilder().file("etc/old", "x").file("etc/.wh.old", "").file("etc/.wh.gone", "").build()); },
                        "mknod of a whiteout")) {
    return;
  }
  for (const char* name : {"etc/old", "etc/gone"}) {
    const auto st = lstat_of(tree.path(name));
    CHECK(S_ISCHR(st.st_mode));
    CHECK(st.st_rdev == makedev(0, 0));
  }
  CHECK_FALSE(exists(tree.path("etc/.wh.old")));
}

TEST_CASE("an opaque whiteout sets the overlay opaque xattr", "[layer]") {
  TempTree tree;
  auto opts = options();
  opts.opaque_xattr = pod::storage::OpaqueXattr::user;
  try {
    apply_tar(tree, TarBuilder().dir("var/cache").file("var/cache/.wh..wh..opq", "").file("var/cache/new", "n").build(), opts);
  } catch (const pod::SysError& e) {
    if (e.error_number() != ENOTSUP) throw;
    WARN("skipped: /tmp does not support user xattrs: " << e.what());
    return;
  }
  char value[8] = {};
  REQUIRE(::getxattr(tree.path("var/cache").c_str(), "user.overlay.opaque", value, sizeof value) == 1);
  CHECK(value[0] == 'y');
  CHECK_FALSE(exists(tree.path("var/cache/.wh..wh..opq")));
  CHECK(read_file(tree.path("var/cache/new")) == "n");
  if (layer_test::is_real_root()) {
    TempTree root_tree;
    opts.opaque_xattr = pod::storage::OpaqueXattr::trusted;
    apply_tar(root_tree, TarBuilder().file(".wh..wh..opq", "").build(), opts);
    CHECK(::getxattr(root_tree.target.c_str(), "trusted.overlay.opaque", value, sizeof value) == 1);
  }
}

TEST_CASE("xattrs from the tar are set, overlay's own are not", "[layer]") {
  TempTree tree;
  try {
    apply_tar(tree, TarBuilder()
                    .file("f", "x")
                    .xattr("user.note", "hello")
                    .xattr("user.overlay.redirect", "/elsewhere")
                    .xattr("trusted.overlay.opaque", "y")
                    .build());
  } catch (const pod::SysError& e) {
    if (e.error_number() != ENOTSUP) throw;
    WARN("skipped: no user xattrs on /tmp");
    return;
  }
  char value[16] = {};
  REQUIRE(::getxattr(tree.path("f").c_str(), "user.note", value, sizeof value) == 5);
  CHECK(std::string(value, 5) == "hello");
  CHECK(::getxattr(tree.path("f").c_str(), "user.overlay.redirect", value, sizeof value) < 0);
  CHECK(::getxattr(tree.path("f").c_str(), "trusted.overlay.opaque", value, sizeof value) < 0);

  // Rootless: trusted.* and security.* (but security.capability) are not ours to set.
  auto opts = options();
  opts.rootless = true;
  apply_tar(tree, TarBuilder().file("g", "x").xattr("trusted.x", "1").xattr("security.selinux", "l").build(), opts);
  CHECK(::getxattr(tree.path("g").c_str(), "trusted.x", value, sizeof value) < 0);

  if (layer_test::is_real_root()) {  // xattrs on a symlink go through its resolved parent
    apply_tar(tree, TarBuilder().symlink("dir/s", "/x").xattr("trusted.note", "ok").xattr("user.no", "1").build());
    REQUIRE(::lgetxattr(tree.path("dir/s").c_str(), "trusted.note", value, sizeof value) == 2);
    CHECK(std::string(value, 2) == "ok");
  }
}

TEST_CASE("device nodes: skipped rootless, made as root", "[layer]") {
  const std::string tar = TarBuilder().node("dev/null", AE_IFCHR, 1, 3, 0666).node("dev/sda", AE_IFBLK, 8, 0).build();
  {
    TempTree tree;
    auto opts = options();
    opts.rootless = true;
    const auto result = apply_tar(tree, tar, opts);
    CHECK(result.entries == 2);
    CHECK_FALSE(exists(tree.path("dev/null")));
    CHECK_FALSE(exists(tree.path("dev/sda")));
  }
  if (!layer_test::is_real_root()) {
    WARN("not real root: device creation not checked");
    return;
  }
  TempTree tree;
  apply_tar(tree, tar);
  const auto null = lstat_of(tree.path("dev/null"));
  CHECK(S_ISCHR(null.st_mode));
  CHECK(null.st_rdev == makedev(1, 3));
  CHECK((null.st_mode & 07777) == 0666);
  CHECK(S_ISBLK(lstat_of(tree.path("dev/sda")).st_mode));
}

TEST_CASE("empty and broken streams", "[layer]") {
  TempTree tree;
  CHECK(apply_tar(tree, "").entries == 0);
  CHECK(apply_tar(tree, std::string(1024, '\0')).entries == 0);
  REQUIRE_THROWS_WITH(apply_tar(tree, "this is not a tar stream at all, not even close........"),
                      StartsWith("applying layer `test`: reading the tar stream: "));
  const std::string tar = TarBuilder().file("f", std::string(5000, 'x')).build();
  REQUIRE_THROWS_WITH(apply_tar(tree, tar.substr(0, 2048)), StartsWith("applying layer `test`: entry `f`: reading the content: "));
}

TEST_CASE("the stream is read to its very end", "[layer]") {
  TempTree tree;
  const std::string data = TarBuilder().file("f", "x").build() + std::string(100000, '\0');
  CountingReader reader(data);
  apply_layer(reader, tree.target_fd.get(), options());
  CHECK(reader.at_end());
}

TEST_CASE("what the reader throws comes out with the layer's context", "[layer]") {
  TempTree tree;
  const std::string tar = TarBuilder().file("a", "x").file("big", std::string(200000, 'y')).build();
  SECTION("at once") {
    FailingReader reader("", pod::Error("connection reset", pod::ErrorKind::not_found));
    try {
      apply_layer(reader, tree.target_fd.get(), options());
      FAIL("no exception");
    } catch (const pod::Error& e) {
      CHECK(e.message() == "applying layer `test`: connection reset");
      CHECK(e.kind() == pod::ErrorKind::not_found);
    }
  }
  SECTION("in the middle of a file") {
    FailingReader reader(tar.substr(0, 150000), pod::Error("connection reset"));
    REQUIRE_THROWS_WITH(apply_layer(reader, tree.target_fd.get(), options()),
                        "applying layer `test`: entry `big`: connection reset");
  }
}

TEST_CASE("an unmapped uid is an error that names it", "[layer]") {
  // A child in a new user namespace that maps only its own id: uid 1000 is unmapped there.
  TempTree tree;
  const std::string tar = TarBuilder().file("home/user/f", "x", 0644, 1000, 1000).build();
  int pipe_fds[2];
  REQUIRE(::pipe2(pipe_fds, O_CLOEXEC) == 0);
  const uid_t uid = ::geteuid();
  const gid_t gid = ::getegid();
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int code = 0;
    std::string message;
    try {
      if (::unshare(CLONE_NEWUSER) != 0) {
        code = 2;
      } else {
        std::ofstream("/proc/self/setgroups") << "deny";
        std::ofstream("/proc/self/uid_map") << "0 " << uid << " 1";
        std::ofstream("/proc/self/gid_map") << "0 " << gid << " 1";
        ApplyOptions opts;
        opts.layer_name = "test";
        apply_tar(tree, tar, opts);
        code = 3;
      }
    } catch (const std::exception& e) {
      message = e.what();
    } catch (...) {
      code = 4;
    }
    [[maybe_unused]] auto n = ::write(pipe_fds[1], message.data(), message.size());
    ::_exit(code);  // never unwind into Catch's frames
  }
  ::close(pipe_fds[1]);
  std::string message;
  char buf[512];
  for (ssize_t n; (n = ::read(pipe_fds[0], buf, sizeof buf)) > 0;) message.append(buf, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 2) {
    WARN("skipped: cannot create a user namespace here");
    return;
  }
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(message ==
        "applying layer `test`: entry `home/user/f`: uid 1000 of `f` is not mapped in this user namespace "
        "(check /etc/subuid)");
}
