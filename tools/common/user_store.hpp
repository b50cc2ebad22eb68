// The store of the invoking user (rootless: under $XDG_DATA_HOME; root: /var/lib/pod), or at
// `root` when given, opened where the caller is (no user namespace entered here).
#pragma once

#include <string>

#include "storage/store.hpp"

namespace pod::tools {

struct UserStore {
  storage::Store store;
  bool rootless = true;
};

UserStore open_user_store(const std::string& root);

}  // namespace pod::tools
