// The flags every verb that talks to a registry shares (podman's names), and turning them
// into a registry client for one reference.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "libcore/reference.hpp"
#include "libcore/registry/registry_client.hpp"

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

void add_registry_flags(CLI::App& verb, RegistryFlags& flags);

std::unique_ptr<core::registry::RegistryClient> make_registry_client(const std::string& host, const RegistryFlags& flags);

}  // namespace pod::tools
