#include "rootless/userns.hpp"
#include "tools/common/user_store.hpp"
#include "tools/pod-copy/verbs.hpp"

namespace pod::tools {

core::oci::Platform CopyGlobals::platform() const {
  core::oci::Platform p = core::oci::host_platform();
  if (!override_os.empty()) p.os = override_os;
  if (!override_arch.empty()) p.architecture = override_arch;
  if (!override_variant.empty()) p.variant = override_variant;
  return core::oci::normalize(p);
}

const storage::Store* LazyStore::open_if_needed(const std::vector<core::transport::TransportReference>& refs,
                                                const CopyGlobals& g) {
  bool needed = false;
  for (const auto& r : refs) needed = needed || r.kind == core::transport::TransportKind::local;
  if (!needed) return nullptr;
  if (!store_) {
    rootless::ensure_userns();
    auto opened = open_user_store(g.root);
    rootless_ = opened.rootless;
    store_ = std::move(opened.store);
  }
  return &*store_;
}

storage::RegistryAccess access_for(const RegistryFlags& side, const CopyGlobals& globals) {
  RegistryFlags merged = side;
  if (merged.authfile.empty()) merged.authfile = globals.shared.authfile;
  if (merged.creds.empty()) merged.creds = globals.shared.creds;
  if (merged.cert_dir.empty()) merged.cert_dir = globals.shared.cert_dir;
  if (!merged.tls_verify) merged.tls_verify = globals.shared.tls_verify;
  return registry_access(merged);
}

}  // namespace pod::tools
