// The flags every verb that talks to a registry shares (podman's names).
#pragma once

#include <optional>
#include <string>

#include "storage/pull_by_name.hpp"

namespace CLI {
class App;
}

namespace pod::tools {

struct RegistryFlags {
  std::optional<bool> tls_verify;  // unset: registries.conf decides (insecure = false)
  std::string cert_dir;
  std::string creds;     // "user[:password]"
  std::string authfile;  // else $REGISTRY_AUTH_FILE and the default auth.json places
};

// `prefix` "src-" / "dest-" gives pod-copy's --src-tls-verify, --dest-creds, ….
void add_registry_flags(CLI::App& verb, RegistryFlags& flags, const std::string& prefix = "");
storage::RegistryAccess registry_access(const RegistryFlags& flags);

}  // namespace pod::tools
