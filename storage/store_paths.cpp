#include "storage/store_paths.hpp"

#include "libcore/sys/error.hpp"

namespace pod::storage {

StorePaths default_store_paths(uid_t euid, const EnvLookup& env) {
  if (euid == 0) return StorePaths{"/var/lib/pod", "/run/pod"};
  StorePaths paths;
  if (auto data_home = env("XDG_DATA_HOME")) {
    paths.root = *data_home + "/pod";
  } else if (auto home = env("HOME")) {
    paths.root = *home + "/.local/share/pod";
  } else {
    throw Error("cannot place the store: neither $XDG_DATA_HOME nor $HOME is set (or pass --root)");
  }
  if (auto runtime_dir = env("XDG_RUNTIME_DIR")) {
    paths.runroot = *runtime_dir + "/pod";
  } else {
    paths.runroot = "/tmp/pod-run-" + std::to_string(euid);
  }
  return paths;
}

}  // namespace pod::storage
