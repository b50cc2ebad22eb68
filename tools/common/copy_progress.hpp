// Progress of a copy on stderr, as Skopeo and `podman push` print it: one line per blob when it
// is done ("Copying blob 3f4ca61aafcd done", "… skipped: already exists"), the config, then
// "Writing manifest to image destination". Quiet prints nothing.
#pragma once

#include <cstdio>
#include <mutex>

#include "libcore/transport/copy.hpp"

namespace pod::tools {

class CopyProgress final : public core::transport::CopyObserver {
 public:
  CopyProgress(std::FILE* out, bool quiet) : out_(out), quiet_(quiet) {}
  void blob_done(const core::oci::Descriptor& blob, bool config, core::transport::BlobAction action) override;
  void writing_manifest() override;
  // "Getting image source signatures" then nothing until blobs finish.
  void start();

 private:
  std::FILE* out_;
  bool quiet_;
  std::mutex mutex_;
};

}  // namespace pod::tools
