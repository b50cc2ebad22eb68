// Applying a layer: an uncompressed tar stream (OCI image layer) written into the empty
// directory of a new layer, with OCI whiteouts turned into overlay whiteouts.
//
// This is a security boundary: the tar is untrusted. Nothing it names can create, change or
// follow anything outside `target_dir_fd` — names are cleaned ("/x" is "x", a ".." above the
// root is an error), every parent is resolved inside the root (openat2 RESOLVE_IN_ROOT or an
// equivalent walker), entries are created with O_EXCL|O_NOFOLLOW after removing what is there,
// and hardlink targets are resolved in the same root.
#pragma once

#include <cstdint>
#include <string>

#include "libcore/stream.hpp"

namespace pod::storage {

// The xattr that marks an overlay directory opaque: trusted.* needs CAP_SYS_ADMIN in the
// initial namespace; rootless overlay mounts with "userxattr" read user.* instead.
enum class OpaqueXattr { user, trusted };

struct ApplyOptions {
  // Running without real root (in a user namespace): device nodes other than overlay whiteouts
  // (char 0/0) are skipped with a warning; trusted.* and security.* xattrs other than
  // security.capability are skipped.
  bool rootless = false;
  // Give entries the tar's uid/gid. An id not mapped in the current user namespace is an
  // error. Off only for callers outside any user namespace that cannot chown (tests).
  bool chown = true;
  std::string layer_name;  // for messages: "applying layer `NAME`: …"
  OpaqueXattr opaque_xattr = OpaqueXattr::user;
};

struct ApplyResult {
  std::uint64_t entries = 0;  // tar entries read, whiteouts and skipped ones included
  std::uint64_t bytes = 0;    // bytes of regular file content written
};

// Reads `tar` (ustar, pax or GNU; an empty stream is an empty layer) to its very end, so a
// verifying reader underneath sees every byte, and writes its entries below `target_dir_fd`,
// which should be the new, empty directory of the layer. Directory modes and times are set
// after all entries are written.
//
// Throws pod::Error "applying layer `NAME`: entry `PATH`: …" for a bad or escaping entry, and
// rethrows what `tar` throws with the same prefix. On failure the directory is left partly
// written; the caller owns it and removes it. Calls for different directories may run on
// different threads (warnings go through log::warn_once).
ApplyResult apply_layer(core::Reader& tar, int target_dir_fd, const ApplyOptions& opts);

}  // namespace pod::storage
