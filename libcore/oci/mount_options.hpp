// The "options" of a config.json mount, split into what mount(2) takes: flags, a separate
// propagation change, and the filesystem's own data string (mount(8)'s vocabulary).
#pragma once

#include <string>
#include <vector>

namespace pod::core::oci {

struct MountFlags {
  unsigned long flags = 0;        // MS_RDONLY, MS_NOSUID, …, MS_BIND (| MS_REC for rbind)
  unsigned long propagation = 0;  // MS_PRIVATE, MS_SLAVE, … (| MS_REC for the r… forms): a second mount(2)
  bool bind = false;              // bind or rbind
  bool recursive = false;         // rbind
  bool tmpcopyup = false;         // crun's extension: fill the tmpfs from the image's directory
  std::string data;               // everything else, comma-joined: "mode=755,size=65536k"
};

// Pure; never throws. Later options win over earlier ones ("ro,rw" is read-write), as in
// mount(8). Unknown options are not errors here: they go to `data` and the kernel judges them.
MountFlags parse_mount_options(const std::vector<std::string>& options);

// The options understood above (not the filesystems' own), for `pod-runtime features`.
std::vector<std::string> known_mount_options();

}  // namespace pod::core::oci
