// OCI whiteouts to overlay whiteouts (OCI image spec, "Representing Changes"):
//   dir/.wh.NAME      -> dir/NAME as a char device 0/0 (overlay's "this is deleted")
//   dir/.wh..wh..opq  -> xattr overlay.opaque="y" on dir (hide the lower layers' content)
// Other ".wh..wh." names are AUFS bookkeeping (hardlink dirs) and are not written.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"
#include "storage/layer/layer_writer.hpp"

namespace pod::storage::detail {
namespace {

const char* opaque_xattr_name(OpaqueXattr which) {
  return which == OpaqueXattr::trusted ? "trusted.overlay.opaque" : "user.overlay.opaque";
}

void mark_opaque(int dir_fd, const std::string& dir_path, OpaqueXattr which) {
  // fsetxattr needs a real descriptor, not the O_PATH one the parent was resolved as.
  const UniqueFd fd(::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) throw_path_error(errno, "open directory", dir_path);
  const char* name = opaque_xattr_name(which);
  if (::fsetxattr(fd.get(), name, "y", 1, 0) != 0) {
    const int err = errno;
    throw SysError(err, "set xattr " + quote(name) + " on " + quote_path(dir_path));
  }
}

}  // namespace

void LayerWriter::write_whiteout(const PathParts& parts, const TarEntry& entry) {
  const std::string& base = parts.back();
  const UniqueFd parent = mkdir_all_in_root(root_fd_, parts, parts.size() - 1);
  if (base == kOpaqueWhiteout) {
    mark_opaque(parent.get(), join_parts(parts, parts.size() - 1), opts_.opaque_xattr);
    return;
  }
  if (base.starts_with(kWhiteoutMetaPrefix)) {
    log::debug("layer " + quote(opts_.layer_name) + ": skipping AUFS metadata " + quote_path(entry.unsafe_name));
    return;
  }
  const std::string name = base.substr(kWhiteoutPrefix.size());
  if (name.empty() || name == "." || name == "..") {
    throw Error("invalid whiteout " + quote_path(base), ErrorKind::invalid_input);
  }
  clear_place(parent.get(), name, false);
  // mknod of 0/0 is allowed without CAP_MKNOD in a user namespace since Linux 5.8, for
  // exactly this purpose.
  if (::mknodat(parent.get(), name.c_str(), S_IFCHR, makedev(0, 0)) != 0) {
    throw_path_error(errno, "create whiteout", name);
  }
  set_owner(EntryPlace{parent.get(), name, -1}, entry, opts_);
}

}  // namespace pod::storage::detail
