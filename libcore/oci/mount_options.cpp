#include "libcore/oci/mount_options.hpp"

#include <sys/mount.h>

#include <string_view>

namespace pod::core::oci {
namespace {

// An option that sets (or, with `clear`, removes) mount flags.
struct FlagOption {
  std::string_view name;
  unsigned long flag;
  bool clear;
};

constexpr FlagOption kFlagOptions[] = {
    {"defaults", 0, false},
    {"ro", MS_RDONLY, false},
    {"rw", MS_RDONLY, true},
    {"nosuid", MS_NOSUID, false},
    {"suid", MS_NOSUID, true},
    {"nodev", MS_NODEV, false},
    {"dev", MS_NODEV, true},
    {"noexec", MS_NOEXEC, false},
    {"exec", MS_NOEXEC, true},
    {"sync", MS_SYNCHRONOUS, false},
    {"async", MS_SYNCHRONOUS, true},
    {"dirsync", MS_DIRSYNC, false},
    {"remount", MS_REMOUNT, false},
    {"mand", MS_MANDLOCK, false},
    {"nomand", MS_MANDLOCK, true},
    {"noatime", MS_NOATIME, false},
    {"atime", MS_NOATIME, true},
    {"nodiratime", MS_NODIRATIME, false},
    {"diratime", MS_NODIRATIME, true},
    {"relatime", MS_RELATIME, false},
    {"norelatime", MS_RELATIME, true},
    {"strictatime", MS_STRICTATIME, false},
    {"nostrictatime", MS_STRICTATIME, true},
    {"lazytime", MS_LAZYTIME, false},
    {"nolazytime", MS_LAZYTIME, true},
    {"silent", MS_SILENT, false},
    {"loud", MS_SILENT, true},
    {"iversion", MS_I_VERSION, false},
    {"noiversion", MS_I_VERSION, true},
    {"nosymfollow", MS_NOSYMFOLLOW, false},
    {"symfollow", MS_NOSYMFOLLOW, true},
};

struct PropagationOption {
  std::string_view name;
  unsigned long flags;
};

constexpr PropagationOption kPropagationOptions[] = {
    {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

bool try_apply_flag(std::string_view option, MountFlags& out) {
  for (const auto& f : kFlagOptions) {
    if (f.name != option) continue;
    if (f.clear) {
      out.flags &= ~f.flag;
    } else {
      out.flags |= f.flag;
    }
    return true;
  }
  return false;
}

bool try_apply_propagation(std::string_view option, MountFlags& out) {
  for (const auto& [name, flags] : kPropagationOptions) {
    if (name != option) continue;
    out.propagation = flags;  // one propagation type at a time: the last one given
    return true;
  }
  return false;
}

bool try_apply_bind(std::string_view option, MountFlags& out) {
  if (option != "bind" && option != "rbind") return false;
  out.bind = true;
  out.flags |= MS_BIND;
  if (option == "rbind") {
    out.recursive = true;
    out.flags |= MS_REC;
  }
  return true;
}

}  // namespace

MountFlags parse_mount_options(const std::vector<std::string>& options) {
  MountFlags out;
  for (const auto& option : options) {
    if (try_apply_flag(option, out) || try_apply_propagation(option, out) || try_apply_bind(option, out)) continue;
    if (option == "tmpcopyup") {
      out.tmpcopyup = true;
      continue;
    }
    if (!out.data.empty()) out.data += ',';
    out.data += option;
  }
  return out;
}

std::vector<std::string> known_mount_options() {
  std::vector<std::string> out;
  for (const auto& f : kFlagOptions) out.emplace_back(f.name);
  for (const auto& p : kPropagationOptions) out.emplace_back(p.name);
  for (const char* name : {"bind", "rbind", "tmpcopyup"}) out.emplace_back(name);
  return out;
}

}  // namespace pod::core::oci
