// The on-disk store (layout in README "Architecture"):
//   <root>/blobs/sha256/<hex>        verified compressed blobs as pulled
//   <root>/blobs/partial/<hex>       downloads in progress, resumed by the next pull
//   <root>/layers/<chain-hex>/diff/  one unpacked layer (overlay format: whiteouts are 0/0 char
//                                    devices, opaque dirs carry the opaque xattr)
//   <root>/layers/<chain-hex>/layer.json
//   <root>/images/<id>/image.json, manifest, config     id = hex of the config digest
//   <root>/storage.lock              guards image records and names (exclusive to change)
// Everything appears atomically: built under a .tmp- name and renamed into place, so a
// kill -9 at any point leaves either nothing or a complete record. Leftover .tmp- entries of
// dead processes are removed by Store::open().
#pragma once

#include <string>

namespace pod::storage {

class Store {
 public:
  // Creates the layout when missing and removes leftovers of crashed writers.
  static Store open(const std::string& root);

  const std::string& root() const { return root_; }
  std::string blobs_dir() const { return root_ + "/blobs/sha256"; }
  std::string partial_dir() const { return root_ + "/blobs/partial"; }
  std::string layers_dir() const { return root_ + "/layers"; }
  std::string images_dir() const { return root_ + "/images"; }
  std::string containers_dir() const { return root_ + "/containers"; }
  std::string lock_path() const { return root_ + "/storage.lock"; }

 private:
  explicit Store(std::string root) : root_(std::move(root)) {}
  std::string root_;
};

// ".tmp-<what>-<pid>-<random>": the pid lets open() tell a dead writer's leftovers from a
// live writer's work in progress.
std::string temp_name(const std::string& what);
// True when `name` is a temp name whose pid no longer runs.
bool is_abandoned_temp(const std::string& name);

}  // namespace pod::storage
