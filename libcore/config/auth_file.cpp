// Reading credentials from auth.json files (containers/image pkg/docker/config:
// getAuthFilePaths, findCredentialsInFile, decodeDockerAuth).
#include "libcore/config/auth_file.hpp"

#include "libcore/base64.hpp"
#include "libcore/config/config_file.hpp"
#include "libcore/json_read.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"

namespace pod::core::config {
namespace {

// "host/a/b" → {"host/a/b", "host/a", "host"}: the most specific key first.
std::vector<std::string> keys_for(std::string_view host, std::string_view repository) {
  std::string key(host);
  if (!repository.empty()) key.append("/").append(repository);
  std::vector<std::string> keys;
  for (;;) {
    keys.push_back(key);
    const auto slash = key.rfind('/');
    if (slash == std::string::npos) return keys;
    key.resize(slash);
  }
}

// Docker Hub has three names; the one docker's own config uses is index.docker.io.
std::string normalize_registry(std::string_view host) {
  if (host == "docker.io" || host == "registry-1.docker.io") return "index.docker.io";
  return std::string(host);
}

// A URL key ("https://index.docker.io/v1/") stands for its host; plain keys stay as they are.
std::string normalize_file_key(std::string_view key) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (!key.starts_with(scheme)) continue;
    key.remove_prefix(scheme.size());
    return normalize_registry(key.substr(0, key.find('/')));
  }
  return normalize_registry(key);
}

// The credentials of one entry; nullopt for an entry without any (a credential helper's marker)
// and, after a warning, for an "auth" without ':'. Secrets never go into messages.
std::optional<Credentials> decode_entry(const JsonObject& auths, const std::string& key, const std::string& file) {
  const JsonObject entry = auths.object(key);
  const std::string auth = entry.optional_string("auth").value_or("");
  const std::string token = entry.optional_string("identitytoken").value_or("");
  if (auth.empty() && token.empty()) return std::nullopt;
  Credentials creds{"", "", token, file, key};
  if (auth.empty()) return creds;
  const auto decoded = base64_decode(auth);
  if (!decoded) throw Error("entry " + quote(key) + ": the \"auth\" field is not valid base64", ErrorKind::invalid_input);
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) {
    log::warn("credentials for " + quote(key) + " in " + quote(file) + ": the \"auth\" field has no `:`; ignoring them");
    return std::nullopt;
  }
  creds.username = decoded->substr(0, colon);
  creds.password = decoded->substr(colon + 1);
  while (!creds.password.empty() && creds.password.back() == '\0') creds.password.pop_back();  // as containers/image
  return creds;
}

std::optional<Credentials> find_in_auths(const JsonObject& auths, const std::vector<std::string>& all_keys,
                                         std::string_view host, std::string_view repository, const std::string& file) {
  for (const auto& key : keys_for(host, repository)) {
    if (!auths.has(key)) continue;
    if (auto creds = decode_entry(auths, key, file)) return creds;
  }
  // Keys written by older `docker login`s: URLs, or another name of Docker Hub.
  const std::string wanted = normalize_registry(host);
  for (const auto& key : all_keys) {
    if (normalize_file_key(key) != wanted || !auths.has(key)) continue;
    if (auto creds = decode_entry(auths, key, file)) return creds;
  }
  return std::nullopt;
}

std::optional<Credentials> find_in_file(const std::string& file, std::string_view host, std::string_view repository) {
  const auto text = try_read_config_file(file);
  if (!text) return std::nullopt;
  return with_context("reading credentials from " + quote(file), [&]() -> std::optional<Credentials> {
    const nlohmann::json doc = parse_json_document(*text);
    const JsonObject root(doc, "");
    if (!root.has("auths")) return std::nullopt;
    const JsonObject auths = root.object("auths");
    return find_in_auths(auths, root.object_keys("auths"), host, repository, file);
  });
}

}  // namespace

std::vector<std::string> auth_file_sources(const EnvLookup& env, std::optional<std::string> explicit_path) {
  if (explicit_path && !explicit_path->empty()) return {*explicit_path};
  if (auto file = env("REGISTRY_AUTH_FILE")) return {*file};
  std::vector<std::string> files;
  if (auto runtime = env("XDG_RUNTIME_DIR")) files.push_back(*runtime + "/containers/auth.json");
  const auto home = env("HOME");
  if (auto config = env("XDG_CONFIG_HOME")) {
    files.push_back(*config + "/containers/auth.json");
  } else if (home) {
    files.push_back(*home + "/.config/containers/auth.json");
  }
  if (auto docker = env("DOCKER_CONFIG")) {
    files.push_back(*docker + "/config.json");
  } else if (home) {
    files.push_back(*home + "/.docker/config.json");
  }
  return files;
}

std::optional<Credentials> find_credentials(const std::vector<std::string>& sources, std::string_view registry_host,
                                            std::string_view repository_path) {
  for (const auto& file : sources) {
    if (auto creds = find_in_file(file, registry_host, repository_path)) {
      log::debug("using credentials for " + quote(creds->key) + " from " + quote(file));
      return creds;
    }
  }
  log::debug("no credentials for " + quote(registry_host) + " in any auth file");
  return std::nullopt;
}

}  // namespace pod::core::config
