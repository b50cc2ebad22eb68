// Writing auth.json for login/logout (containers/image pkg/docker/config: SetCredentials,
// RemoveAuthentication, modifyJSON). Unlike containers/image, unknown top-level keys
// ("credHelpers", "psFormat", …) survive a rewrite.
#include <nlohmann/json.hpp>

#include <algorithm>

#include "libcore/base64.hpp"
#include "libcore/config/auth_file.hpp"
#include "libcore/config/config_file.hpp"
#include "libcore/json_read.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"

namespace pod::core::config {
namespace {

using nlohmann::json;

constexpr unsigned kFileMode = 0600;
constexpr unsigned kDirMode = 0700;

[[noreturn]] void invalid_key(std::string_view unsafe_text, std::string_view why) {
  throw Error("invalid registry " + quote_untrusted(unsafe_text, 200) + ": " + std::string(why), ErrorKind::usage);
}

// The document to update; {} when the file does not exist yet.
json read_for_update(const std::string& path) {
  const auto text = try_read_config_file(path);
  if (!text) return json::object();
  return parse_json_document(*text);
}

json& auths_of(json& doc) {
  json& auths = doc["auths"];
  if (auths.is_null()) auths = json::object();
  if (!auths.is_object()) throw Error("field `auths`: expected an object", ErrorKind::invalid_input);
  return auths;
}

void write_document(const std::string& path, const json& doc) {
  // Tabs, like containers/image's json.MarshalIndent(…, "", "\t").
  write_file_atomic(path, doc.dump(1, '\t') + "\n", kFileMode);
}

std::string parent_dir(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

std::string default_auth_file(const EnvLookup& env) {
  if (auto file = env("REGISTRY_AUTH_FILE")) return *file;
  if (auto runtime = env("XDG_RUNTIME_DIR")) return *runtime + "/containers/auth.json";
  if (auto home = env("HOME")) return *home + "/.config/containers/auth.json";
  throw Error("cannot choose an auth file: neither $XDG_RUNTIME_DIR nor $HOME is set; use --authfile", ErrorKind::usage);
}

std::string normalize_auth_key(std::string_view unsafe_text) {
  std::string_view key = unsafe_text;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (!key.starts_with(scheme)) continue;
    key.remove_prefix(scheme.size());
    key = key.substr(0, key.find('/'));  // a URL stands for its host, as in `podman login`
  }
  while (key.ends_with('/')) key.remove_suffix(1);
  if (key.empty()) invalid_key(unsafe_text, "empty name");
  if (std::any_of(key.begin(), key.end(), [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; })) {
    invalid_key(unsafe_text, "white space or control characters");
  }
  const auto slash = key.find('/');
  if (key.find('@') != std::string_view::npos ||
      (slash != std::string_view::npos && key.find(':', slash) != std::string_view::npos)) {
    invalid_key(unsafe_text, "credentials are stored per registry or repository, without a tag or digest");
  }
  return std::string(key);
}

void store_credentials(const std::string& path, std::string_view key, std::string_view username,
                       std::string_view password) {
  const std::string normalized = normalize_auth_key(key);
  if (username.find(':') != std::string_view::npos) throw Error("a username must not contain `:`", ErrorKind::usage);
  with_context("storing credentials in " + quote(path), [&] {
    make_dirs(parent_dir(path), kDirMode);
    json doc = read_for_update(path);
    std::string secret(username);
    secret.append(":").append(password);
    auths_of(doc)[normalized] = json{{"auth", base64_encode(secret)}};
    write_document(path, doc);
  });
}

bool remove_credentials(const std::string& path, std::string_view key) {
  const std::string normalized = normalize_auth_key(key);
  return with_context("removing credentials from " + quote(path), [&] {
    const auto text = try_read_config_file(path);
    if (!text) return false;
    json doc = parse_json_document(*text);
    if (!doc.contains("auths")) return false;
    if (auths_of(doc).erase(normalized) == 0) return false;
    write_document(path, doc);
    return true;
  });
}

}  // namespace pod::core::config
