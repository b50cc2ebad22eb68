#include "tools/common/copy_progress.hpp"

#include <fmt/core.h>

namespace pod::tools {

void CopyProgress::start() {
  if (quiet_) return;
  std::lock_guard lock(mutex_);
  fmt::print(out_, "Getting image source signatures\n");
  std::fflush(out_);
}

void CopyProgress::blob_done(const core::oci::Descriptor& blob, bool config, core::transport::BlobAction action) {
  if (quiet_) return;
  using core::transport::BlobAction;
  const char* how = action == BlobAction::present   ? "skipped: already exists"
                    : action == BlobAction::mounted ? "done (mounted)"
                                                    : "done";
  std::lock_guard lock(mutex_);
  fmt::print(out_, "Copying {} {} {}\n", config ? "config" : "blob", blob.digest.short_hex(), how);
  std::fflush(out_);
}

void CopyProgress::writing_manifest() {
  if (quiet_) return;
  std::lock_guard lock(mutex_);
  fmt::print(out_, "Writing manifest to image destination\n");
  std::fflush(out_);
}

}  // namespace pod::tools
