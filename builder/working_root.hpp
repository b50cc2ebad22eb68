// The root filesystem a build step changes: the image's layers under a fresh upper directory
// (which becomes the step's layer), mounted with the kernel's overlay in pod-build's own
// mount namespace. Unmounted, and removed unless committed, when it goes.
#pragma once

#include <string>
#include <vector>

#include "builder/build.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/files.hpp"
#include "storage/layer_commit.hpp"

namespace pod::builder {

class WorkingRoot {
 public:
  // `lowers`: layer directories, top first (empty for FROM scratch).
  WorkingRoot(const BuildEnvironment& env, const std::vector<std::string>& lowers);
  ~WorkingRoot();
  WorkingRoot(const WorkingRoot&) = delete;
  WorkingRoot& operator=(const WorkingRoot&) = delete;

  const std::string& merged() const { return merged_; }
  int root_fd() const { return root_fd_.get(); }
  // A directory of the step's own (the RUN container's bundle), not part of the layer.
  std::string scratch_dir() const { return layer_.path() + "/scratch"; }

  // Unmounts and commits the upper directory as a layer on top of `parent`.
  storage::CommittedLayer commit(const std::string& parent, const storage::LayerCommitOptions& options);

 private:
  void unmount();

  const BuildEnvironment& env_;
  TempDir layer_;
  std::string merged_;
  UniqueFd root_fd_;
  bool mounted_ = false;
};

// An image's files mounted read-only in a temporary directory (COPY --from).
class ReadOnlyRoot {
 public:
  ReadOnlyRoot(const BuildEnvironment& env, const std::vector<std::string>& layers);
  ~ReadOnlyRoot();
  ReadOnlyRoot(const ReadOnlyRoot&) = delete;
  ReadOnlyRoot& operator=(const ReadOnlyRoot&) = delete;
  const std::string& path() const { return path_; }
  int root_fd() const { return root_fd_.get(); }

 private:
  TempDir dir_;
  std::string path_;
  UniqueFd root_fd_;
  bool mounted_ = false;
};

}  // namespace pod::builder
