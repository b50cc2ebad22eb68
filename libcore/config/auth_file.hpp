// Registry credentials in auth.json, the file `podman login` writes
// (containers-auth.json(5)):
//   {"auths": {"quay.io": {"auth": "<base64 of user:password>"},
//              "quay.io/team/app": {"auth": "…"}, "example.com": {"identitytoken": "…"}}}
// Keys are a registry host, optionally with a repository namespace ("host/ns[/repo]"); the most
// specific key that covers a repository wins. Docker's ~/.docker/config.json has the same
// shape and may use URL keys ("https://index.docker.io/v1/"), which are read as their host.
//
// Reads are bounded at 1 MiB. Writes replace the file atomically with mode 0600 and keep every
// other key and entry. Credentials are never put into messages or logs. Not thread-safe
// against concurrent writers of the same file (like containers/image).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/sys/environment.hpp"

namespace pod::core::config {

struct Credentials {
  std::string username;
  std::string password;
  std::string identity_token;  // an OAuth2 refresh token, when the entry has one
  std::string file;            // where they were found, for debug messages
  std::string key;
};

// The files to read, in order.
//  - `explicit_path` (--authfile) or else $REGISTRY_AUTH_FILE: only that file, as Podman does;
//  - otherwise $XDG_RUNTIME_DIR/containers/auth.json, ($XDG_CONFIG_HOME or ~/.config)/
//    containers/auth.json, then Docker's ($DOCKER_CONFIG or ~/.docker)/config.json.
// Docker's legacy ~/.dockercfg is not read.
std::vector<std::string> auth_file_sources(const EnvLookup& env, std::optional<std::string> explicit_path = std::nullopt);

// The first file (in `sources` order) with an entry for `registry_host`/`repository_path` wins;
// in it, "host/a/b" beats "host/a" beats "host", then URL-style keys for the host. An entry
// without credentials (Docker's marker for a credential helper) counts as none; one whose
// "auth" lacks the ':' is skipped with a warning, as Docker does. Missing files are skipped.
// Throws Error(invalid_input) naming the file (and entry) for malformed JSON or base64.
std::optional<Credentials> find_credentials(const std::vector<std::string>& sources, std::string_view registry_host,
                                            std::string_view repository_path);

// Where `pod login` writes: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json,
// else ~/.config/containers/auth.json. Throws Error when neither variable nor HOME is set.
std::string default_auth_file(const EnvLookup& env);

// Normalizes what the user typed for login/logout: "https://quay.io/v2/" → "quay.io",
// trailing '/' dropped; "quay.io/team" stays. Throws Error(usage) for an empty key or one
// with a tag, digest or white space.
std::string normalize_auth_key(std::string_view unsafe_text);

// Sets the entry for `key` (normalized) to {"auth": base64(user:password)}, creating the file
// (0600) and its directory (0700) as needed. Throws Error(usage) if `username` has a ':'.
void store_credentials(const std::string& path, std::string_view key, std::string_view username,
                       std::string_view password);

// Removes the entry for `key` (normalized). Returns false when there was none (Podman's
// logout then says "not logged into <key>"); the file is then left untouched.
bool remove_credentials(const std::string& path, std::string_view key);

}  // namespace pod::core::config
