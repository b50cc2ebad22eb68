#include <catch2/catch.hpp>

#include <cerrno>

#include "libcore/sys/error.hpp"

TEST_CASE("context reads outer to inner and keeps kind and type", "[error]") {
  try {
    pod::with_context("pulling `x`", [] {
      pod::with_context("fetching blob `b`", [] { throw pod::Error("digest mismatch", pod::ErrorKind::digest_mismatch); });
    });
    FAIL("no exception");
  } catch (const pod::Error& e) {
    CHECK(e.message() == "pulling `x`: fetching blob `b`: digest mismatch");
    CHECK(e.kind() == pod::ErrorKind::digest_mismatch);
  }
}

TEST_CASE("SysError carries errno and its text", "[error]") {
  errno = ENOENT;
  try {
    pod::throw_errno("open", "/nope");
  } catch (const pod::SysError& e) {
    CHECK(e.error_number() == ENOENT);
    CHECK(e.message() == "open `/nope`: No such file or directory");
    CHECK(e.kind() == pod::ErrorKind::not_found);
    pod::Error copy = e;
    (void)copy;
    return;
  }
  FAIL("no exception");
}

TEST_CASE("a SysError keeps its type through with_context", "[error]") {
  errno = EACCES;
  REQUIRE_THROWS_AS(pod::with_context("ctx", [] { pod::throw_errno("mkdir", "/x"); }), pod::SysError);
}

TEST_CASE("other exceptions become pod::Error with the context", "[error]") {
  REQUIRE_THROWS_WITH(pod::with_context("reading `f`", [] { throw std::runtime_error("boom"); }),
                      "reading `f`: boom");
}

TEST_CASE("untrusted text is cut and stripped of control characters", "[error]") {
  CHECK(pod::quote_untrusted("a\x1b[31mb", 50) == "`a?[31mb`");
  CHECK(pod::quote_untrusted(std::string(60, 'x'), 50) == "`" + std::string(50, 'x') + "…`");
}
