// The OCI config.json of a `pod create`/`pod run` container: the image's config merged with
// the flags exactly as Docker and Podman merge them, and Podman's defaults for the rest
// (mounts, masked and read-only paths, the rootless capability set, rlimits, a seccomp
// profile). Pure except for reading the container's /etc/passwd and /etc/group (for -u) from
// its root filesystem, safely (never following a link out of it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "libcore/oci/image_config.hpp"
#include "libcore/oci/runtime_spec.hpp"

namespace pod::rootless::container {

struct BindMount {
  std::string source;       // absolute host path (bind) or empty (tmpfs)
  std::string destination;  // absolute, in the container
  std::string type = "bind";
  std::vector<std::string> options;  // ro, rw, nosuid, size=…
};

// --userns=keep-id: the user's own uid and gid outside are the container's process ids inside.
// ns_uids/ns_gids: how many ids pod's user namespace maps (1 without subordinate ids).
struct KeepId {
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::uint64_t ns_uids = 1;
  std::uint64_t ns_gids = 1;
};

// Reads pod's own user namespace maps (/proc/self/uid_map, gid_map): the user's ids are
// those mapped to 0. Error(unsupported) outside a rootless user namespace.
KeepId keep_id_for_this_user();

// The container's maps for keep-id, in pod's namespace: U → 0 (the user), 0…U-1 → 1…U, and the
// rest of the range identically.
std::vector<core::oci::IdMapping> keep_id_mappings(std::uint32_t id, std::uint64_t ns_ids);

struct RunSettings {
  core::oci::ContainerConfig image;        // the image's config ("config" of the image JSON)
  std::vector<std::string> command;        // args after the image name: replace Cmd
  std::optional<std::string> entrypoint;   // --entrypoint: a string, or a JSON array
  std::vector<std::string> env;            // KEY=value from --env-file then -e, in order
  std::string workdir;                     // -w
  std::string user;                        // -u: name|uid[:group|gid]
  std::string hostname;                    // the container's (default: 12 digits of the id)
  bool tty = false;
  bool read_only = false;
  bool no_new_privileges = false;
  bool seccomp = true;                     // false: --security-opt seccomp=unconfined
  std::vector<std::string> cap_add;        // CAP_X or X; "ALL"
  std::vector<std::string> cap_drop;
  std::vector<BindMount> mounts;           // -v, --mount, --tmpfs
  bool host_network = false;               // --network host
  std::string network_namespace;           // --network container:NAME: its /proc/PID/ns/net
  bool no_hosts = false;                   // --no-hosts: no /etc/hosts bind mount
  bool single_id = false;                  // the user namespace maps one id: no gid=5 on devpts
  std::string rootfs;                      // the mounted root filesystem
  std::string userdata;                    // directory with hosts, hostname, resolv.conf
  std::string init_path;                   // --init: the reaper to bind in and run first
  std::optional<KeepId> keep_id;           // --userns=keep-id
  std::optional<core::oci::Resources> resources;  // --memory, --pids-limit, --cpus…
  std::string cgroup_name;                 // cgroupsPath, with resources
};

// Throws Error(invalid_input) for what cannot be run: no command at all, an unknown
// capability, a user the image does not know by name.
core::oci::RuntimeSpec build_runtime_spec(const RunSettings& settings);

// "a b" → ["a", "b"] is not how Docker splits --entrypoint: a string is one word, a JSON
// array is the words.
std::vector<std::string> parse_entrypoint(const std::string& text);

// Podman's rootless default capability set.
const std::vector<std::string>& default_capabilities();

}  // namespace pod::rootless::container
