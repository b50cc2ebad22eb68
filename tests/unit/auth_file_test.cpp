#include "libcore/config/auth_file.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "tests/unit/test_support.hpp"
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "libcore/base64.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"

using pod::test::fake_env;
using pod::test::write_text;

using namespace pod::core::config;
using pod::core::base64_decode;
using pod::core::base64_encode;

namespace {



std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string entry(std::string_view user, std::string_view pass) {
  return R"({"auth": ")" + base64_encode(std::string(user) + ":" + std::string(pass)) + R"("})";
}

std::string user_for(const std::vector<std::string>& files, std::string_view host, std::string_view repo) {
  const auto creds = find_credentials(files, host, repo);
  return creds ? creds->username : "(none)";
}

}  // namespace

TEST_CASE("base64 round-trips and rejects malformed text", "[auth_file]") {
  for (const std::string& s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("a\0b:\xff", 5)}) {
    CHECK(base64_decode(base64_encode(s)) == s);
  }
  CHECK(base64_encode("user:pass") == "dXNlcjpwYXNz");
  CHECK(base64_decode("Zm9vYg==") == "foob");
  for (const std::string& bad : std::vector<std::string>{"Zm9vYg=", "Zm9v YmFy", "Zm9vYg===", "Zm=9", "Zm9vYmFy\n", "Zm9*", "===="}) {
    CAPTURE(bad);
    CHECK_FALSE(base64_decode(bad).has_value());
  }
}

TEST_CASE("auth file search order follows Podman", "[auth_file]") {
  CHECK(auth_file_sources(fake_env({{"HOME", "/h"}, {"XDG_RUNTIME_DIR", "/run/user/1"}})) ==
        std::vector<std::string>{"/run/user/1/containers/auth.json", "/h/.config/containers/auth.json",
                                 "/h/.docker/config.json"});
  CHECK(auth_file_sources(fake_env({{"HOME", "/h"}, {"XDG_CONFIG_HOME", "/c"}, {"DOCKER_CONFIG", "/d"}})) ==
        std::vector<std::string>{"/c/containers/auth.json", "/d/config.json"});
  CHECK(auth_file_sources(fake_env({{"HOME", "/h"}, {"REGISTRY_AUTH_FILE", "/r.json"}})) ==
        std::vector<std::string>{"/r.json"});
  CHECK(auth_file_sources(fake_env({{"REGISTRY_AUTH_FILE", "/r.json"}}), "/explicit.json") ==
        std::vector<std::string>{"/explicit.json"});
}

TEST_CASE("the first file with an entry wins; in it, the most specific key", "[auth_file]") {
  pod::TempDir tmp("/tmp", "pod-auth-");
  const auto env = fake_env({{"HOME", tmp.path() + "/home"}, {"XDG_RUNTIME_DIR", tmp.path() + "/run"}});
  const auto files = auth_file_sources(env);
  write_text(tmp.path() + "/run/containers/auth.json",
             R"({"auths": {"quay.io": )" + entry("run-quay", "p") + R"(, "quay.io/team": )" + entry("run-team", "p") +
                 R"(, "quay.io/team/app": )" + entry("run-app", "p:with:colons") + "}}");
  write_text(tmp.path() + "/home/.config/containers/auth.json",
             R"({"auths": {"quay.io": )" + entry("config-quay", "p") + R"(, "ghcr.io": )" + entry("config-ghcr", "p") + "}}");
  write_text(tmp.path() + "/home/.docker/config.json",
             R"({"auths": {"https://index.docker.io/v1/": )" + entry("docker-hub", "p") +
                 R"(, "registry.example:5000": {}}, "credsStore": "desktop"})");

  CHECK(user_for(files, "quay.io", "team/app") == "run-app");
  CHECK(user_for(files, "quay.io", "team/app/sub") == "run-app");
  CHECK(user_for(files, "quay.io", "team/other") == "run-team");
  CHECK(user_for(files, "quay.io", "teamx/app") == "run-quay");
  CHECK(user_for(files, "ghcr.io", "a/b") == "config-ghcr");
  CHECK(user_for(files, "docker.io", "library/busybox") == "docker-hub");
  CHECK(user_for(files, "registry.example:5000", "x") == "(none)");  // a credential helper's marker
  CHECK(user_for(files, "other.io", "x") == "(none)");

  const auto app = find_credentials(files, "quay.io", "team/app");
  REQUIRE(app);
  CHECK(app->password == "p:with:colons");
  CHECK(app->key == "quay.io/team/app");
  CHECK(app->file == tmp.path() + "/run/containers/auth.json");
}

TEST_CASE("identity tokens are returned; missing files are skipped", "[auth_file]") {
  pod::TempDir tmp("/tmp", "pod-auth-");
  const std::string file = tmp.path() + "/auth.json";
  write_text(file, R"({"auths": {"a.io": {"auth": ")" + base64_encode("<token>:") +
                       R"(", "identitytoken": "refresh"}, "b.io": {"identitytoken": "only"}}})");
  const auto a = find_credentials({tmp.path() + "/missing.json", file}, "a.io", "x");
  REQUIRE(a);
  CHECK(a->username == "<token>");
  CHECK(a->password.empty());
  CHECK(a->identity_token == "refresh");
  const auto b = find_credentials({file}, "b.io", "");
  REQUIRE(b);
  CHECK(b->identity_token == "only");
}

TEST_CASE("malformed auth files are errors naming the file and the entry", "[auth_file]") {
  pod::TempDir tmp("/tmp", "pod-auth-");
  const std::string file = tmp.path() + "/auth.json";
  write_text(file, R"({"auths": {"quay.io": {"auth": "not base64!"}}})");
  REQUIRE_THROWS_WITH(find_credentials({file}, "quay.io", "a/b"),
                      "reading credentials from `" + file + "`: entry `quay.io`: the \"auth\" field is not valid base64");
  write_text(file, R"({"auths": {"quay.io": {"auth": 7}}})");
  REQUIRE_THROWS_WITH(find_credentials({file}, "quay.io", ""), Catch::Contains("field `auths.quay.io.auth`: expected a string"));
  write_text(file, "{\"auths\": ");
  REQUIRE_THROWS_WITH(find_credentials({file}, "quay.io", ""), "reading credentials from `" + file + "`: malformed JSON");
  write_text(file, R"({"auths": {"quay.io": {"auth": ")" + base64_encode("nocolon") + R"("}}})");
  CHECK_FALSE(find_credentials({file}, "quay.io", "").has_value());  // skipped with a warning, as Docker does
}

TEST_CASE("the default write path", "[auth_file]") {
  CHECK(default_auth_file(fake_env({{"HOME", "/h"}, {"XDG_RUNTIME_DIR", "/run/user/1"}})) ==
        "/run/user/1/containers/auth.json");
  CHECK(default_auth_file(fake_env({{"HOME", "/h"}})) == "/h/.config/containers/auth.json");
  CHECK(default_auth_file(fake_env({{"HOME", "/h"}, {"REGISTRY_AUTH_FILE", "/r.json"}})) == "/r.json");
  REQUIRE_THROWS_WITH(default_auth_file(fake_env({})), Catch::Contains("neither $XDG_RUNTIME_DIR nor $HOME is set"));
}

TEST_CASE("login keys are normalized like podman login", "[auth_file]") {
  CHECK(normalize_auth_key("quay.io") == "quay.io");
  CHECK(normalize_auth_key("https://quay.io/v2/") == "quay.io");
  CHECK(normalize_auth_key("http://localhost:5000") == "localhost:5000");
  CHECK(normalize_auth_key("quay.io/team/app/") == "quay.io/team/app");
  CHECK(normalize_auth_key("localhost:5000/team") == "localhost:5000/team");
  REQUIRE_THROWS_WITH(normalize_auth_key("quay.io/app:1"), Catch::Contains("without a tag or digest"));
  REQUIRE_THROWS_WITH(normalize_auth_key(""), "invalid registry ``: empty name");
  REQUIRE_THROWS_WITH(normalize_auth_key("a b"), Catch::Contains("white space"));
}

TEST_CASE("store_credentials writes a 0600 file and keeps everything else", "[auth_file]") {
  pod::TempDir tmp("/tmp", "pod-auth-");
  const std::string dir = tmp.path() + "/run/containers";
  const std::string file = dir + "/auth.json";

  store_credentials(file, "https://quay.io/", "alice", "s3cret");
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  REQUIRE(::stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0700);
  auto doc = nlohmann::json::parse(read_text(file));
  CHECK(doc["auths"]["quay.io"]["auth"] == "YWxpY2U6czNjcmV0");

  write_text(file, R"({"auths": {"quay.io": {"auth": "YWxpY2U6czNjcmV0"}, "ghcr.io": {"auth": "eDp5"}},
                      "credHelpers": {"gcr.io": "gcloud"}, "psFormat": "table"})");
  ::chmod(file.c_str(), 0644);
  store_credentials(file, "docker.io", "bob", "pw");
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  doc = nlohmann::json::parse(read_text(file));
  CHECK(doc["auths"].size() == 3);
  CHECK(doc["auths"]["ghcr.io"]["auth"] == "eDp5");
  CHECK(doc["credHelpers"]["gcr.io"] == "gcloud");
  CHECK(doc["psFormat"] == "table");
  const auto bob = find_credentials({file}, "docker.io", "library/busybox");
  REQUIRE(bob);
  CHECK(bob->username == "bob");
  CHECK(bob->password == "pw");

  REQUIRE_THROWS_WITH(store_credentials(file, "quay.io", "a:b", "x"), "a username must not contain `:`");
}

TEST_CASE("remove_credentials removes one entry; false when there is none", "[auth_file]") {
  pod::TempDir tmp("/tmp", "pod-auth-");
  const std::string file = tmp.path() + "/auth.json";
  CHECK_FALSE(remove_credentials(file, "quay.io"));  // no file at all
  store_credentials(file, "quay.io", "a", "b");
  store_credentials(file, "ghcr.io", "c", "d");
  CHECK(remove_credentials(file, "quay.io"));
  CHECK_FALSE(remove_credentials(file, "quay.io"));
  CHECK_FALSE(remove_credentials(file, "quay.io/team"));
  const auto doc = nlohmann::json::parse(read_text(file));
  CHECK_FALSE(doc["auths"].contains("quay.io"));
  CHECK(doc["auths"].contains("ghcr.io"));
  write_text(file, R"({"other": 1})");
  CHECK_FALSE(remove_credentials(file, "ghcr.io"));
  CHECK(read_text(file) == R"({"other": 1})");
}

TEST_CASE("a write into a file that is not JSON fails and leaves it alone", "[auth_file]") {
  pod::TempDir tmp("/tmp", "pod-auth-");
  const std::string file = tmp.path() + "/auth.json";
  write_text(file, "garbage");
  REQUIRE_THROWS_WITH(store_credentials(file, "quay.io", "a", "b"),
                      "storing credentials in `" + file + "`: malformed JSON");
  CHECK(read_text(file) == "garbage");
}
