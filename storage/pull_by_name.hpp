// Pulling by the name a user typed, as podman resolves it:
//   short name → registries.conf aliases / unqualified-search registries (an ambiguous name
//   without a terminal is an error listing the candidates) → for each candidate: refused when
//   its registry is blocked; else its mirrors, then the registry itself, until one works →
//   the image is recorded under the candidate's name, whichever endpoint served it.
// Registry access follows podman: --tls-verify wins, else registries.conf `insecure`;
// credentials from --creds, else the auth files (--authfile, $REGISTRY_AUTH_FILE, auth.json,
// Docker's config.json).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "libcore/registry/registry_client.hpp"
#include "libcore/sys/environment.hpp"
#include "storage/pull.hpp"

namespace pod::storage {

struct RegistryAccess {
  std::optional<bool> tls_verify;
  std::string cert_dir;
  std::optional<core::registry::Credentials> credentials;  // --creds
  std::optional<std::string> authfile;                     // --authfile
};

// The options of a client for `host` (repository `path` picks the most specific auth entry).
core::registry::ClientOptions client_options(const std::string& host, const std::string& path,
                                             const RegistryAccess& access, bool insecure_by_config,
                                             const EnvLookup& env);

// A client for `ref`'s registry itself (no mirrors: pushes, pod-copy), as registries.conf
// (insecure, blocked) and the flags say.
std::shared_ptr<core::registry::RegistryClient> registry_client_for(const core::Reference& ref, const RegistryAccess& access);

// Calls `trying` with each reference before it is tried ("Trying to pull …").
ImageRecord pull_by_name(const Store& store, const std::string& text, const RegistryAccess& access,
                         const PullOptions& options, bool have_tty,
                         const std::function<void(const core::Reference&)>& trying);

}  // namespace pod::storage
