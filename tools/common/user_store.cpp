#include "tools/common/user_store.hpp"

#include "libcore/sys/environment.hpp"
#include "libcore/sys/log.hpp"
#include "rootless/userns.hpp"
#include "storage/store_paths.hpp"

namespace pod::tools {

UserStore open_user_store(const std::string& root) {
  const bool rootless = rootless::is_rootless();
  storage::StorePaths paths = storage::default_store_paths(rootless ? rootless::invoking_uid() : 0, process_env);
  if (!root.empty()) paths.root = root;
  log::debug("store: " + paths.root + (rootless ? " (rootless)" : ""));
  return UserStore{storage::Store::open(paths.root), rootless};
}

}  // namespace pod::tools
