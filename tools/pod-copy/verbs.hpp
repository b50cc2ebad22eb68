// The verbs of pod-copy (Skopeo's): copy, inspect, list-tags, delete, sync. Each declares its
// flags and calls the copy engine or the registry client.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "libcore/oci/platform.hpp"
#include "libcore/transport/transport_reference.hpp"
#include "storage/store.hpp"
#include "tools/common/image_transports.hpp"
#include "tools/common/registry_flags.hpp"

namespace CLI {
class App;
}

namespace pod::tools {

struct RunState;

struct CopyGlobals {
  std::string root;  // the local store (default: pod's for this user)
  bool debug = false;
  bool insecure_policy = false;
  std::string override_os;
  std::string override_arch;
  std::string override_variant;
  RegistryFlags shared;  // --authfile etc. for both sides unless a side says otherwise

  core::oci::Platform platform() const;
};

// The local store, opened (entering pod's user namespace when rootless) only when one of
// `refs` is local:, since nothing else needs it.
class LazyStore {
 public:
  const storage::Store* open_if_needed(const std::vector<core::transport::TransportReference>& refs, const CopyGlobals& g);
  bool rootless() const { return rootless_; }

 private:
  std::optional<storage::Store> store_;
  bool rootless_ = true;
};

// Side flags over the shared ones.
storage::RegistryAccess access_for(const RegistryFlags& side, const CopyGlobals& globals);

void add_copy_verb(CLI::App& app, CopyGlobals& globals);
void add_inspect_verb(CLI::App& app, CopyGlobals& globals);
void add_registry_verbs(CLI::App& app, CopyGlobals& globals);  // list-tags, delete
void add_sync_verb(CLI::App& app, CopyGlobals& globals, RunState& state);

}  // namespace pod::tools
