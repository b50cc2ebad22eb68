// Container records: containers/<id>/ in the store, one directory per container.
//   container.json  the record below (written at create, rewritten by rename)
//   config.json     the OCI runtime config pod-runtime gets (the directory is the bundle)
//   upper/ work/    the overlay's writable layer; merged/ is where the rootfs is mounted
//   hosts hostname resolv.conf   bind-mounted into the container
//   ctr.log         the container's output, k8s-file format (written by pod-monitor)
//   init.json exit.json started  what happened since (see container_status.hpp)
// Names are unique among containers; ids are 64 hex digits and found by unique prefix, as
// Podman does. Creation and removal happen under the store's exclusive lock.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/store.hpp"

namespace pod::storage {

struct ContainerRecord {
  std::string id;
  std::string name;
  std::string image_id;
  std::string image_name;  // as the user named it
  std::string created;     // RFC 3339
  std::vector<std::string> command;  // process.args
  std::map<std::string, std::string> labels;
  std::string driver;          // overlay, fuse-overlayfs
  std::string runtime;         // the OCI runtime's path
  std::string network = "none";  // --network as given
  bool tty = false;
  bool interactive = false;
  bool remove = false;         // --rm
  std::string stop_signal = "SIGTERM";
  int stop_timeout = 10;
  std::vector<std::string> mounts;  // "source:destination[:ro]", for inspect
  std::vector<std::string> ports;   // published: "tcp:0.0.0.0:8080:80" (libcore/net/port_mapping)
};

class ContainerStore {
 public:
  explicit ContainerStore(const Store& store) : store_(store) {}

  std::string dir(const std::string& id) const { return store_.containers_dir() + "/" + id; }

  // Reserves the name (generated when empty) and writes the record and the directory.
  // Error(conflict) "the container name `x` is already in use by <id>".
  ContainerRecord create(ContainerRecord record);
  void save(const ContainerRecord& record) const;
  std::vector<ContainerRecord> list() const;
  std::optional<ContainerRecord> try_get(const std::string& id) const;
  // Full id, unique id prefix, or name. Error(not_found) "no container with name or ID `x`".
  ContainerRecord resolve(const std::string& text) const;
  void rename(const std::string& id, const std::string& new_name);
  // Deletes the directory (the caller is in the user namespace that owns its files, and
  // nothing is mounted in it). Error(not_found) when it is gone already.
  void remove(const std::string& id);

 private:
  const Store& store_;
};

// "[a-zA-Z0-9][a-zA-Z0-9_.-]*", as Podman checks names.
void check_container_name(const std::string& name);
// 64 random hex digits.
std::string new_container_id();

}  // namespace pod::storage
