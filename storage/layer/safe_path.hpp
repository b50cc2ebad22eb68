// Untrusted paths inside a layer being applied (STYLE.md §5). The root-relative resolution
// itself is libcore's (libcore/sys/root_path.hpp, shared with the container runtime); this
// header brings it into storage's namespace and adds what only layer code needs.
//
// Internal to storage/layer (apply.cpp and friends); the unit tests include it to exercise the
// openat2 fallback walker directly.
#pragma once

#include <string>

#include "libcore/sys/fd.hpp"
#include "libcore/sys/root_path.hpp"

namespace pod::storage::detail {

using pod::PathParts;
using pod::join_parts;
using pod::mkdir_all_in_root;
using pod::open_in_root;
using pod::quote_path;
using pod::set_force_openat2_fallback;
using pod::throw_path_error;
using pod::try_clean_path;
using pod::try_open_in_root;

// Removes `name` in `dir_fd` and, for a directory, everything below it. Never follows a
// symlink. A missing `name` is not an error.
void remove_all_at(int dir_fd, const std::string& name);

}  // namespace pod::storage::detail
