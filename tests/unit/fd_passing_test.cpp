#include "libcore/sys/fd_passing.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"

using pod::UniqueFd;

TEST_CASE("fd passing: a descriptor sent over a unix socket works on the other side", "[fd_passing]") {
  int sv[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
  UniqueFd a(sv[0]), b(sv[1]);
  int p[2];
  REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
  UniqueFd read_end(p[0]), write_end(p[1]);
  pod::send_fd(a.get(), write_end.get(), "/dev/pts/7");
  write_end.reset();
  UniqueFd received = pod::receive_fd(b.get());
  REQUIRE(received);
  CHECK((::fcntl(received.get(), F_GETFD) & FD_CLOEXEC) != 0);
  REQUIRE(::write(received.get(), "x", 1) == 1);
  char c = 0;
  CHECK(::read(read_end.get(), &c, 1) == 1);
  CHECK(c == 'x');
}

TEST_CASE("fd passing: a peer that closes without sending is an error, not a hang", "[fd_passing]") {
  int sv[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
  UniqueFd a(sv[0]), b(sv[1]);
  a.reset();
  CHECK_THROWS_AS(pod::receive_fd(b.get()), pod::Error);
}

TEST_CASE("fd passing: unix socket paths are checked and connect errors name the path", "[fd_passing]") {
  pod::TempDir dir("/tmp", "fd-passing-test");
  const std::string path = dir.path() + "/console.sock";
  CHECK_THROWS_WITH(pod::connect_unix(path), Catch::Matchers::Contains(path));
  UniqueFd listener = pod::listen_unix(path);
  UniqueFd client = pod::connect_unix(path);
  CHECK(client);
  // Longer than sun_path: reached through the directory's fd.
  const std::string deep = dir.path() + "/" + std::string(120, 'd');
  pod::make_dirs(deep);
  const std::string long_path = deep + "/attach.sock";
  UniqueFd long_listener = pod::listen_unix(long_path);
  CHECK(pod::connect_unix(long_path));
  CHECK_THROWS_WITH(pod::connect_unix(deep + "/missing.sock"), Catch::Matchers::Contains("missing.sock"));
}
