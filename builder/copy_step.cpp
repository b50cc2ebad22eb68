// COPY and ADD: sources hashed for the cache key, then written into the working root — one
// pass over the files, kernel-side copies (copy_file_range), owners and modes as Docker sets
// them, every destination path resolved inside the root.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builder/copy_sources.hpp"
#include "libcore/digest.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/root_path.hpp"
#include "rootless/container/user_lookup.hpp"
#include "storage/tar_copy.hpp"

namespace pod::builder {
namespace {

struct Owner {
  std::optional<uid_t> uid;  // nullopt: keep the source's (COPY --from without --chown)
  gid_t gid = 0;
};

Owner owner_for(const CopyPlan& plan, const WorkingRoot& root) {
  if (!plan.chown) return plan.from.empty() ? Owner{0, 0} : Owner{};
  const std::string& spec = *plan.chown;
  const auto colon = spec.find(':');
  // Docker: a user without a group has the group of the same number.
  const auto user = rootless::container::resolve_user(root.merged(), spec.substr(0, colon));
  Owner out{user.uid, user.uid};
  if (colon != std::string::npos) out.gid = rootless::container::resolve_user(root.merged(), "0:" + spec.substr(colon + 1)).gid;
  return out;
}

void hash_file(core::Hasher& h, int fd, const std::string& shown) {
  std::vector<char> buffer(1u << 20);
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read", shown);
    if (n == 0) break;
    h.update(buffer.data(), static_cast<std::size_t>(n));
  }
}

UniqueFd open_entry(const SourceEntry& e, int flags) {
  if (e.name.empty()) return UniqueFd(::fcntl(e.parent_fd, F_DUPFD_CLOEXEC, 0));
  return UniqueFd(::openat(e.parent_fd, e.name.c_str(), flags | O_NOFOLLOW | O_CLOEXEC));
}

std::string link_target(const SourceEntry& e) {
  std::string target(static_cast<std::size_t>(e.st.st_size) + 1, '\0');
  const ssize_t n = ::readlinkat(e.parent_fd, e.name.c_str(), target.data(), target.size());
  if (n < 0) throw_errno("read link", e.relative);
  target.resize(static_cast<std::size_t>(n));
  return target;
}

bool is_archive(int fd) {
  unsigned char head[512] = {};
  const ssize_t n = ::pread(fd, head, sizeof head, 0);
  if (n < 6) return false;
  if (head[0] == 0x1f && head[1] == 0x8b) return true;                                      // gzip
  if (head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') return true;                      // bzip2
  if (head[0] == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X' && head[4] == 'Z') return true;  // xz
  if (head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd) return true;  // zstd
  return n >= 262 && std::string_view(reinterpret_cast<const char*>(head) + 257, 5) == "ustar";
}

class Copier {
 public:
  Copier(const CopyPlan& plan, const WorkingRoot& root) : plan_(plan), root_(root), owner_(owner_for(plan, root)) {}

  void copy(const CopySource& source) {
    if (source.heredoc) return write_heredoc(source);
    if (source.is_dir) {
      const std::string dest_dir = plan_.dest;
      make_dir(dest_dir, nullptr);
      walk_source(plan_, source, [&](const SourceEntry& e) { write_entry(dest_dir + "/" + e.relative, e); });
      return;
    }
    walk_source(plan_, source, [&](const SourceEntry& e) {
      if (plan_.add && plan_.from.empty() && S_ISREG(e.st.st_mode) && is_archive(e.parent_fd)) return extract(e);
      write_entry(file_dest(source), e);
    });
  }

 private:
  // Docker's rule: into the destination when it ends with "/" or is a directory, else as it.
  std::string file_dest(const CopySource& source) const {
    const std::string base = source.path.substr(source.path.rfind('/') + 1);
    if (plan_.dest_is_dir) return plan_.dest + "/" + (base.empty() ? source.shown : base);
    auto existing = try_open_in_root(root_.root_fd(), plan_.dest, O_PATH);
    struct stat st{};
    if (existing && ::fstat(existing->get(), &st) == 0 && S_ISDIR(st.st_mode)) return plan_.dest + "/" + base;
    return plan_.dest;
  }

  // The directory `path` made (missing parents too) and opened for writing in it.
  UniqueFd make_dir(const std::string& path, const struct stat* source) {
    const auto parts = try_clean_path(path);
    if (!parts) throw Error("destination " + quote_path(path) + " leaves the image's root", ErrorKind::invalid_input);
    const bool existed = try_open_in_root(root_.root_fd(), path, O_PATH).has_value();
    mkdir_all_in_root(root_.root_fd(), *parts);
    UniqueFd dir = open_in_root(root_.root_fd(), path, O_RDONLY | O_DIRECTORY);
    if (!existed) set_meta(dir.get(), source, 0755, source != nullptr);
    return dir;
  }

  // --chmod applies to what is copied, not to the parent directories a copy makes.
  void set_meta(int fd, const struct stat* source, mode_t default_mode, bool copied = true) {
    const uid_t uid = owner_.uid.value_or(source ? source->st_uid : 0);
    const gid_t gid = owner_.uid ? owner_.gid : source ? source->st_gid : 0;
    if (::fchown(fd, uid, gid) != 0) throw_errno("chown", "a copied file");
    const mode_t mode = copied && plan_.chmod ? *plan_.chmod : source ? source->st_mode & 07777 : default_mode;
    if (::fchmod(fd, mode) != 0) throw_errno("chmod", "a copied file");
  }

  // The parent directory of `path` (made when missing) and the last name.
  std::pair<UniqueFd, std::string> parent_of(const std::string& path) {
    const auto slash = path.rfind('/');
    const std::string name = path.substr(slash + 1);
    return {make_dir(slash == 0 ? "/" : path.substr(0, slash), nullptr), name};
  }

  void clear(int dir_fd, const std::string& name, const std::string& path) {
    struct stat st{};
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return;
    if (S_ISDIR(st.st_mode)) throw Error("cannot copy over the directory " + quote_path(path) + " with a file");
    if (::unlinkat(dir_fd, name.c_str(), 0) != 0) throw_errno("replace", path);
  }

  void write_entry(const std::string& path, const SourceEntry& e) {
    if (S_ISDIR(e.st.st_mode)) {
      make_dir(path, &e.st);
      return;
    }
    auto [dir, name] = parent_of(path);
    clear(dir.get(), name, path);
    if (S_ISLNK(e.st.st_mode)) {
      if (::symlinkat(link_target(e).c_str(), dir.get(), name.c_str()) != 0) throw_errno("create link", path);
      const uid_t uid = owner_.uid.value_or(e.st.st_uid);
      const gid_t gid = owner_.uid ? owner_.gid : e.st.st_gid;
      if (::fchownat(dir.get(), name.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0) throw_errno("chown", path);
      return;
    }
    if (!S_ISREG(e.st.st_mode)) return;  // sockets, devices and fifos of a context are not copied
    const UniqueFd in = open_entry(e, O_RDONLY);
    if (!in) throw_errno("open", e.relative.empty() ? path : e.relative);
    UniqueFd out(::openat(dir.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out) throw_errno("create", path);
    copy_content(in.get(), out.get(), e.st.st_size, path);
    set_meta(out.get(), &e.st, 0644);
    const timespec times[2] = {e.st.st_atim, e.st.st_mtim};
    ::futimens(out.get(), times);
  }

  static void copy_content(int in, int out, off_t size, const std::string& path) {
    off_t offset = 0;
    while (offset < size) {
      const ssize_t n = ::copy_file_range(in, &offset, out, nullptr, static_cast<std::size_t>(size - offset), 0);
      if (n > 0) continue;
      if (n == 0) break;
      if (errno == EINTR) continue;
      if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) throw_errno("copy to", path);
      return copy_by_read(in, offset, out, path);
    }
  }

  static void copy_by_read(int in, off_t offset, int out, const std::string& path) {
    std::vector<char> buffer(1u << 20);
    for (;;) {
      const ssize_t n = ::pread(in, buffer.data(), buffer.size(), offset);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw_errno("read for", path);
      if (n == 0) return;
      write_all(out, buffer.data(), static_cast<std::size_t>(n), path);
      offset += n;
    }
  }

  void write_heredoc(const CopySource& source) {
    const std::string path = plan_.dest_is_dir ? plan_.dest + "/" + source.shown : plan_.dest;
    auto [dir, name] = parent_of(path);
    clear(dir.get(), name, path);
    UniqueFd out(::openat(dir.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out) throw_errno("create", path);
    write_all(out.get(), source.heredoc->data(), source.heredoc->size(), path);
    set_meta(out.get(), nullptr, 0644);
  }

  // ADD of a local archive: unpacked into the destination directory.
  void extract(const SourceEntry& e) {
    const UniqueFd dir = make_dir(plan_.dest, nullptr);
    const UniqueFd in = open_entry(e, O_RDONLY);
    storage::extract_tar(in.get(), "/proc/self/fd/" + std::to_string(dir.get()));
  }

  const CopyPlan& plan_;
  const WorkingRoot& root_;
  Owner owner_;
};

}  // namespace

std::string sources_digest(const CopyPlan& plan) {
  core::Hasher h;
  auto field = [&](std::string_view s) {
    h.update(s);
    h.update("\0", 1);
  };
  if (plan.from_image) {
    field(plan.from);
    for (const auto& l : plan.from_image->layers) field(l.chain_id);
    field(plan.from_image->config.dump());
    for (const auto& w : plan.from_words) field(w);
    return h.finish().hex();
  }
  for (const auto& source : plan.sources) {
    field(source.shown);
    if (source.heredoc) {
      field(*source.heredoc);
      continue;
    }
    walk_source(plan, source, [&](const SourceEntry& e) {
      field(e.relative);
      field(std::to_string(e.st.st_mode));
      if (S_ISLNK(e.st.st_mode)) field(link_target(e));
      if (!S_ISREG(e.st.st_mode)) return;
      field(std::to_string(e.st.st_size));
      const UniqueFd fd = open_entry(e, O_RDONLY);
      if (!fd) throw_errno("open", e.relative);
      hash_file(h, fd.get(), e.relative);
    });
  }
  return h.finish().hex();
}

void copy_into(Stage& stage, const cf::Instruction& in, CopyPlan& plan, WorkingRoot& root) {
  open_from_sources(stage, in, plan);
  Copier copier(plan, root);
  for (const auto& source : plan.sources) {
    with_context(in.where(), [&] { copier.copy(source); });
  }
}

}  // namespace pod::builder
