#include "libcore/reference.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "libcore/sys/error.hpp"

using pod::core::Digest;
using pod::core::Reference;

namespace {

const std::string kHex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const std::string kSha256 = "sha256:" + kHex64;

struct ValidCase {
  std::string text;
  std::string domain;
  std::string path;
  std::string str;
  bool short_name;
};

struct InvalidCase {
  std::string text;
  std::string message;
};

pod::ErrorKind kind_of_failure(const std::string& text) {
  try {
    Reference::parse(text);
  } catch (const pod::Error& e) {
    return e.kind();
  }
  return pod::ErrorKind::generic;
}

}  // namespace

TEST_CASE("parse normalizes valid references like Docker", "[reference]") {
  const auto c = GENERATE(values<ValidCase>({
      {"busybox", "docker.io", "library/busybox", "docker.io/library/busybox:latest", true},
      {"library/busybox", "docker.io", "library/busybox", "docker.io/library/busybox:latest", true},
      {"foo/bar", "docker.io", "foo/bar", "docker.io/foo/bar:latest", true},
      {"docker.io/busybox", "docker.io", "library/busybox", "docker.io/library/busybox:latest", false},
      {"index.docker.io/busybox", "docker.io", "library/busybox", "docker.io/library/busybox:latest", false},
      {"docker.io/foo/bar:1", "docker.io", "foo/bar", "docker.io/foo/bar:1", false},
      {"quay.io/foo/bar:1.0", "quay.io", "foo/bar", "quay.io/foo/bar:1.0", false},
      {"quay.io/busybox", "quay.io", "busybox", "quay.io/busybox:latest", false},
      {"localhost/foo", "localhost", "foo", "localhost/foo:latest", false},
      {"localhost:5000/a/b:tag", "localhost:5000", "a/b", "localhost:5000/a/b:tag", false},
      {"host:5000/a/b@" + kSha256, "host:5000", "a/b", "host:5000/a/b@" + kSha256, false},
      {"a/b:tag@" + kSha256, "docker.io", "a/b", "docker.io/a/b:tag@" + kSha256, true},
      {"127.0.0.1:5000/x", "127.0.0.1:5000", "x", "127.0.0.1:5000/x:latest", false},
      {"[::1]:5000/x", "[::1]:5000", "x", "[::1]:5000/x:latest", false},
      {"[fe80::1]/x:v2", "[fe80::1]", "x", "[fe80::1]/x:v2", false},
      {"a.b-c_d__e/f", "docker.io", "a.b-c_d__e/f", "docker.io/a.b-c_d__e/f:latest", true},
      {"a_b.c/f", "docker.io", "a_b.c/f", "docker.io/a_b.c/f:latest", true},
      {"my-registry.example.com/a.b/c_d/e__f/g---h", "my-registry.example.com", "a.b/c_d/e__f/g---h",
       "my-registry.example.com/a.b/c_d/e__f/g---h:latest", false},
      {"Registry/foo", "Registry", "foo", "Registry/foo:latest", false},
      {"localhost:5000", "docker.io", "library/localhost", "docker.io/library/localhost:5000", true},
      {"foo:Tag_1.x-Y", "docker.io", "library/foo", "docker.io/library/foo:Tag_1.x-Y", true},
      {"foo:" + std::string(128, 'a'), "docker.io", "library/foo",
       "docker.io/library/foo:" + std::string(128, 'a'), true},
      {"a/" + std::string(243, 'b'), "docker.io", "a/" + std::string(243, 'b'),
       "docker.io/a/" + std::string(243, 'b') + ":latest", true},
  }));
  CAPTURE(c.text);
  const Reference ref = Reference::parse(c.text);
  CHECK(ref.domain() == c.domain);
  CHECK(ref.path() == c.path);
  CHECK(ref.str() == c.str);
  CHECK(ref.was_short_name() == c.short_name);
  CHECK(Reference::parse(ref.str()) == Reference::parse(c.str));
}

TEST_CASE("parse rejects invalid references with a reason", "[reference]") {
  const auto c = GENERATE(values<InvalidCase>({
      {"", "invalid reference ``: empty reference"},
      {"Busybox", "invalid reference `Busybox`: repository name must be lowercase"},
      {"docker.io/Foo/bar", "repository name must be lowercase"},
      {"quay.io/foo/Bar:tag", "repository name must be lowercase"},
      {"Foo_bar/baz", "repository name must be lowercase"},
      {"Foo_bar.x/baz", "repository name must be lowercase"},
      {"Foo$/baz", "invalid domain `Foo$`"},
      {"foo:", "invalid reference `foo:`: invalid tag ``"},
      {"foo:tag with space", "invalid tag `tag with space`"},
      {"foo:.tag", "invalid tag `.tag`"},
      {"foo:" + std::string(129, 'a'), "invalid tag `" + std::string(129, 'a') + "`"},
      {"foo@sha256:abc", "invalid reference `foo@sha256:abc`: invalid digest `sha256:abc`: wrong length"},
      {"foo@sha256:" + std::string(64, 'A'), "not lowercase hex"},
      {"foo@md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported algorithm"},
      {"foo@", "invalid reference `foo@`: invalid digest ``"},
      {"-foo", "invalid path component `-foo`"},
      {"foo-", "invalid path component `foo-`"},
      {"foo//bar", "empty path component"},
      {"foo/", "empty path component"},
      {"/foo", "empty path component"},
      {"foo..bar", "invalid separator `..` in path component `foo..bar`"},
      {"a/b___c", "invalid separator `___`"},
      {"a/b$c", "invalid character `$` in path component `b$c`"},
      {"foo bar", "invalid character ` `"},
      {"host:port/foo", "invalid port in domain `host:port`"},
      {"host:/foo", "invalid port in domain `host:`"},
      {"-host.io/foo", "invalid domain `-host.io`"},
      {"host..io/foo", "invalid domain `host..io`"},
      {"[::1/foo", "invalid domain `[::1`"},
      {"[::g]:5000/foo", "invalid domain `[::g]:5000`"},
      {"foo:bar:baz", "invalid character `:`"},
      {kHex64, "image id"},
      {"a/" + std::string(250, 'b'), "name is longer than 255 characters"},
      {"quay.io/" + std::string(248, 'b'), "name is longer than 255 characters"},
  }));
  CAPTURE(c.text);
  REQUIRE_THROWS_WITH(Reference::parse(c.text), Catch::Contains(c.message));
  CHECK(kind_of_failure(c.text) == pod::ErrorKind::invalid_input);
}

TEST_CASE("a name of exactly 255 characters is accepted", "[reference]") {
  const Reference ref = Reference::parse("quay.io/" + std::string(247, 'b'));
  CHECK(ref.repository().size() == pod::core::kMaxNameLength);
}

TEST_CASE("error messages quote long input untruncated up to 300 characters", "[reference]") {
  const std::string text = "a/" + std::string(250, 'B');
  REQUIRE_THROWS_WITH(Reference::parse(text),
                      "invalid reference `" + text + "`: repository name must be lowercase");
}

TEST_CASE("repository, str and manifest_reference", "[reference]") {
  SECTION("tag only") {
    const Reference ref = Reference::parse("quay.io/foo/bar:1.0");
    CHECK(ref.repository() == "quay.io/foo/bar");
    CHECK(ref.tag() == "1.0");
    CHECK_FALSE(ref.digest());
    CHECK(ref.manifest_reference() == "1.0");
  }
  SECTION("default tag") {
    const Reference ref = Reference::parse("busybox");
    CHECK(ref.tag() == "latest");
    CHECK(ref.manifest_reference() == "latest");
  }
  SECTION("digest only: no default tag") {
    const Reference ref = Reference::parse("busybox@" + kSha256);
    CHECK_FALSE(ref.tag());
    REQUIRE(ref.digest());
    CHECK(ref.digest()->hex() == kHex64);
    CHECK(ref.str() == "docker.io/library/busybox@" + kSha256);
    CHECK(ref.manifest_reference() == kSha256);
  }
  SECTION("tag and digest: the digest decides") {
    const Reference ref = Reference::parse("busybox:1@" + kSha256);
    CHECK(ref.tag() == "1");
    CHECK(ref.manifest_reference() == kSha256);
    CHECK(ref.str() == "docker.io/library/busybox:1@" + kSha256);
  }
}

TEST_CASE("with_tag validates and keeps the rest", "[reference]") {
  const Reference ref = Reference::parse("localhost:5000/a/b@" + kSha256);
  const Reference tagged = ref.with_tag("v2");
  CHECK(tagged.str() == "localhost:5000/a/b:v2@" + kSha256);
  CHECK(tagged.was_short_name() == ref.was_short_name());
  CHECK(Reference::parse("busybox").with_tag("1.36").str() == "docker.io/library/busybox:1.36");
  REQUIRE_THROWS_WITH(ref.with_tag("bad tag"), Catch::StartsWith("invalid tag `bad tag`"));
  REQUIRE_THROWS_WITH(ref.with_tag(""), Catch::StartsWith("invalid tag ``"));
  REQUIRE_THROWS_WITH(ref.with_tag(std::string(129, 'x')), Catch::Contains("1 to 128 characters"));
}

TEST_CASE("with_digest keeps the tag", "[reference]") {
  const Digest digest = Digest::parse(kSha256);
  const Reference ref = Reference::parse("quay.io/foo/bar:1.0").with_digest(digest);
  CHECK(ref.digest() == digest);
  CHECK(ref.tag() == "1.0");
  CHECK(ref.str() == "quay.io/foo/bar:1.0@" + kSha256);
  CHECK(ref == Reference::parse("quay.io/foo/bar:1.0@" + kSha256));
}

TEST_CASE("is_valid_tag", "[reference]") {
  CHECK(pod::core::is_valid_tag("latest"));
  CHECK(pod::core::is_valid_tag("_x"));
  CHECK(pod::core::is_valid_tag("V1.2-rc_3"));
  CHECK(pod::core::is_valid_tag(std::string(128, '9')));
  CHECK_FALSE(pod::core::is_valid_tag(""));
  CHECK_FALSE(pod::core::is_valid_tag(".x"));
  CHECK_FALSE(pod::core::is_valid_tag("-x"));
  CHECK_FALSE(pod::core::is_valid_tag("a/b"));
  CHECK_FALSE(pod::core::is_valid_tag("a:b"));
  CHECK_FALSE(pod::core::is_valid_tag(std::string(129, '9')));
}
