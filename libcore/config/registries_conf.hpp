// containers-registries.conf(5), version 2, as containers/image reads it: which registries a
// short name is searched in, short-name aliases, and per-registry settings (insecure,
// blocked, mirrors) selected by the longest matching prefix.
//
// Reading: parse_registries_conf() turns one file's text into a RegistriesConfFile in which
// absent keys stay absent; merge_registries_conf() lays files over each other in load order;
// load_registries_conf() finds the files the way Podman does. Files are trusted local input,
// but still bounded (1 MiB) and validated; every problem is Error(invalid_input) naming the
// file (and the line, when it is a syntax error).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/reference.hpp"
#include "libcore/sys/environment.hpp"

namespace pod::core::config {

inline constexpr std::string_view kSystemConfigDir = "/etc/containers";

enum class ShortNameMode { enforcing, permissive, disabled };
std::string_view to_string(ShortNameMode mode);

// Which references a mirror serves (`pull-from-mirror`).
enum class MirrorUse { all, digest_only, tag_only };

struct Mirror {
  std::string location;
  bool insecure = false;
  MirrorUse pull_from = MirrorUse::all;

  friend bool operator==(const Mirror&, const Mirror&) = default;
};

struct Registry {
  // What references this entry applies to: "host[:port][/namespace…][/repo]" or "*.example.com".
  // Defaults to `location`. Stored without trailing slashes.
  std::string prefix;
  // Where such references are pulled from; "" only for a wildcard prefix (pull unchanged).
  std::string location;
  bool insecure = false;
  bool blocked = false;
  bool mirror_by_digest_only = false;
  std::vector<Mirror> mirrors;  // tried in order, before `location`

  friend bool operator==(const Registry&, const Registry&) = default;
};

// One file as written. Absent keys stay nullopt so a later file overrides only what it sets.
struct RegistriesConfFile {
  std::optional<std::vector<std::string>> unqualified_search_registries;
  std::optional<ShortNameMode> short_name_mode;
  std::vector<Registry> registries;  // unique prefixes; for duplicates the first one wins
  std::map<std::string, std::string> aliases;
};

// The merged result of all files.
struct RegistriesConf {
  std::vector<std::string> unqualified_search_registries;
  std::vector<Registry> registries;  // sorted by prefix, prefixes unique
  std::map<std::string, std::string> aliases;  // short name ("name", "org/name") → "host/repo"
  // containers/image defaults to permissive; Podman's shipped file and pod default to enforcing.
  ShortNameMode short_name_mode = ShortNameMode::enforcing;
  std::vector<std::string> files;  // the files read, in order (for messages)
};

// Parses and validates one file; `source` names it in messages.
RegistriesConfFile parse_registries_conf(std::string_view text, std::string_view source);

// Lays `file` over `conf`: search registries and short-name mode are replaced when `file`
// sets them, a registry with the same prefix is replaced whole, aliases are merged key by key.
void merge_registries_conf(RegistriesConf& conf, RegistriesConfFile file, std::string source);

// Reads one file; a missing file gives the default (empty) configuration.
RegistriesConf load_registries_conf_file(const std::string& path);

// The files Podman reads, in merge order:
//  - $CONTAINERS_REGISTRIES_CONF set: only that file;
//  - else the user file ($XDG_CONFIG_HOME or ~/.config)/containers/registries.conf when it
//    exists (it replaces the system file), then the *.conf files of the user's
//    registries.conf.d in lexical order;
//  - else <system_dir>/registries.conf, then *.conf in <system_dir>/registries.conf.d, then
//    those in the user's registries.conf.d.
// Missing files and directories are skipped by the loader.
std::vector<std::string> registries_conf_files(const EnvLookup& env,
                                               const std::string& system_dir = std::string(kSystemConfigDir));

RegistriesConf load_registries_conf(const EnvLookup& env,
                                    const std::string& system_dir = std::string(kSystemConfigDir));

// The files `conf` came from, for messages: "`/etc/containers/registries.conf`, `…/50-x.conf`",
// or "registries.conf (no file was found)".
std::string config_origin(const RegistriesConf& conf);

// ---- using the configuration (registry_match.cpp) ----

// The entry whose prefix is the longest one matching `ref` ("host/path:tag@digest") at a
// component boundary (':', '/', '@' or the end); "*.example.com" matches any subdomain of
// example.com. nullptr when none matches.
const Registry* find_registry(const RegistriesConf& conf, const Reference& ref);
bool is_insecure(const RegistriesConf& conf, const Reference& ref);
bool is_blocked(const RegistriesConf& conf, const Reference& ref);

// One place to pull a reference from.
struct Endpoint {
  Reference reference;  // `ref` rewritten from the registry's prefix to this location
  std::string location;
  bool insecure = false;
  bool mirror = false;
};

// Mirrors first (those whose pull-from-mirror setting serves `ref`), then the location.
// `reg` must be the entry find_registry() returned for `ref`.
std::vector<Endpoint> pull_endpoints(const Registry& reg, const Reference& ref);
// The same for any reference: without a matching entry, the reference itself (secure).
// Throws Error when the matching entry is blocked.
std::vector<Endpoint> pull_endpoints(const RegistriesConf& conf, const Reference& ref);

}  // namespace pod::core::config
