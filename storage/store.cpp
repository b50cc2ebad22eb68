#include "storage/store.hpp"

#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <random>

#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/log.hpp"
#include "libcore/sys/process.hpp"

namespace pod::storage {
namespace {

void remove_abandoned_temps(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!is_abandoned_temp(name)) continue;
    log::debug("store: removing leftover " + entry.path().string());
    try {
      remove_tree(entry.path().string());
    } catch (const Error& e) {
      // Outside pod's user namespace a container's leftovers are not the user's to delete:
      // the next command that enters it will.
      log::debug("store: leaving it for now: " + e.message());
    }
  }
}

}  // namespace

Store Store::open(const std::string& root) {
  Store store(root);
  for (const auto& dir : {store.blobs_dir(), store.partial_dir(), store.layers_dir(), store.images_dir()}) {
    make_dirs(dir, 0700);
  }
  for (const auto& dir : {store.blobs_dir(), store.layers_dir(), store.images_dir(), store.containers_dir()}) {
    remove_abandoned_temps(dir);
  }
  return store;
}

std::string temp_name(const std::string& what) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return ".tmp-" + what + "-" + std::to_string(::getpid()) + "-" + std::to_string(rng() % 1000000000);
}

bool is_abandoned_temp(const std::string& name) {
  if (name.rfind(".tmp-", 0) != 0) return false;
  const auto last = name.rfind('-');
  const auto before = name.rfind('-', last - 1);
  if (last == std::string::npos || before == std::string::npos || before < 5) return false;
  try {
    const pid_t pid = static_cast<pid_t>(std::stol(name.substr(before + 1, last - before - 1)));
    if (pid == ::getpid()) return false;
    return !is_process_alive(pid);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace pod::storage
