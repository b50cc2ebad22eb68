#include "tools/pod/store_access.hpp"

#include "libcore/sys/environment.hpp"
#include "libcore/sys/log.hpp"
#include "rootless/userns.hpp"
#include "storage/store_paths.hpp"
#include "tools/common/main.hpp"

namespace pod::tools {

OpenedStore open_store(const GlobalOptions& global, const RunState& /*state*/) {
  rootless::ensure_userns();
  return open_store_in_place(global);
}

std::string runroot_of(const GlobalOptions& global) {
  if (!global.runroot.empty()) return global.runroot;
  const bool rootless = rootless::is_rootless();
  return storage::default_store_paths(rootless ? rootless::invoking_uid() : 0, process_env).runroot;
}

OpenedStore open_store_in_place(const GlobalOptions& global) {
  const bool rootless = rootless::is_rootless();
  storage::StorePaths paths = storage::default_store_paths(rootless ? rootless::invoking_uid() : 0, process_env);
  if (!global.root.empty()) paths.root = global.root;
  log::debug("store: " + paths.root + (rootless ? " (rootless)" : ""));
  return OpenedStore{storage::Store::open(paths.root), rootless};
}

}  // namespace pod::tools
