// The pieces every container verb of pod shares: the engine (store, runroot, helpers), the
// flags of create/run, and making a container from them.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "rootless/container/engine.hpp"
#include "rootless/container/join.hpp"
#include "storage/container_store.hpp"
#include "tools/pod/limit_flags.hpp"
#include "tools/pod/network_flags.hpp"
#include "tools/common/registry_flags.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace CLI {
class App;
}

namespace pod::tools {

rootless::container::Engine make_engine(const GlobalOptions& global, const OpenedStore& opened);

// How to run work where a container's filesystem is "/" (pod cp, pod export): a running
// container's namespaces are entered; a stopped one's root is mounted in pod's user namespace
// and chrooted into.
using ForkIntoContainer = std::function<rootless::container::Child(const std::function<void()>& work)>;
ForkIntoContainer container_fs_forker(const GlobalOptions& global, RunState& state, const std::string& name);

struct ContainerFlags {
  std::string image;
  std::vector<std::string> command;
  std::string name;
  bool detach = false;
  bool interactive = false;
  bool tty = false;
  bool remove = false;
  std::vector<std::string> env;
  std::vector<std::string> env_files;
  std::string workdir;
  std::string user;
  std::string entrypoint;
  bool entrypoint_set = false;
  std::vector<std::string> volumes;
  std::vector<std::string> mounts;
  std::vector<std::string> tmpfs;
  bool read_only = false;
  std::string hostname;
  std::vector<std::string> cap_add;
  std::vector<std::string> cap_drop;
  std::vector<std::string> security_opts;
  std::vector<std::string> labels;
  std::string pull = "missing";
  std::string cidfile;
  bool sig_proxy = true;
  std::string stop_signal;
  int stop_timeout = 10;
  std::string runtime;
  NetworkFlags network;
  bool init = false;
  std::string userns;
  LimitFlags limits;
  RegistryFlags registry;
};

void add_container_flags(CLI::App& verb, ContainerFlags& flags, bool run);

// pull as --pull says, record the container, mount its root filesystem (in this process's
// mount namespace: `run` starts it from here) and write its config.json.
storage::ContainerRecord create_from_flags(const rootless::container::Engine& engine, const ContainerFlags& flags);

}  // namespace pod::tools
