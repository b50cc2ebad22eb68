#include "tools/pod/store_access.hpp"

#include "libcore/sys/environment.hpp"
#include "libcore/sys/log.hpp"
#include "rootless/userns.hpp"
#include "storage/store_paths.hpp"
#include "tools/common/main.hpp"
#include "tools/common/user_store.hpp"

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
  auto opened = open_user_store(global.root);
  return OpenedStore{std::move(opened.store), opened.rootless};
}

}  // namespace pod::tools
