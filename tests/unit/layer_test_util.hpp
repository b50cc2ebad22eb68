// Helpers for the layer tests: tars written with libarchive in memory, temp dirs, stat.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "libcore/sys/fd.hpp"
#include "storage/layer/safe_path.hpp"

namespace layer_test {

// Builds a pax tar in memory, entry by entry, exactly as named (no cleaning).
class TarBuilder {
 public:
  struct Item {
    unsigned type = AE_IFREG;
    std::string name;
    std::string content;
    std::string link;
    bool hardlink = false;
    unsigned mode = 0644;
    std::int64_t uid = 0;
    std::int64_t gid = 0;
    std::int64_t mtime = 1700000000;
    unsigned major = 0;
    unsigned minor = 0;
    std::vector<std::pair<std::string, std::string>> xattrs;
  };

  TarBuilder& file(std::string name, std::string content, unsigned mode = 0644, std::int64_t uid = 0,
                   std::int64_t gid = 0) {
    Item it;
    it.name = std::move(name);
    it.content = std::move(content);
    it.mode = mode;
    it.uid = uid;
    it.gid = gid;
    return add(std::move(it));
  }
  TarBuilder& dir(std::string name, unsigned mode = 0755, std::int64_t mtime = 1700000000) {
    Item it;
    it.type = AE_IFDIR;
    it.name = std::move(name);
    it.mode = mode;
    it.mtime = mtime;
    return add(std::move(it));
  }
  TarBuilder& symlink(std::string name, std::string target) {
    Item it;
    it.type = AE_IFLNK;
    it.name = std::move(name);
    it.link = std::move(target);
    it.mode = 0777;
    return add(std::move(it));
  }
  TarBuilder& hardlink(std::string name, std::string target) {
    Item it;
    it.name = std::move(name);
    it.link = std::move(target);
    it.hardlink = true;
    return add(std::move(it));
  }
  TarBuilder& node(std::string name, unsigned type, unsigned major = 0, unsigned minor = 0, unsigned mode = 0644) {
    Item it;
    it.type = type;
    it.name = std::move(name);
    it.major = major;
    it.minor = minor;
    it.mode = mode;
    return add(std::move(it));
  }
  TarBuilder& add(Item item) {
    items_.push_back(std::move(item));
    return *this;
  }
  // Adds an xattr to the last entry.
  TarBuilder& xattr(std::string key, std::string value) {
    items_.back().xattrs.emplace_back(std::move(key), std::move(value));
    return *this;
  }

  std::string build() const {
    std::string out;
    std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(), &archive_write_free);
    REQUIRE(archive_write_set_format_pax(a.get()) == ARCHIVE_OK);
    REQUIRE(archive_write_open2(a.get(), &out, nullptr, &append, nullptr, nullptr) == ARCHIVE_OK);
    for (const auto& it : items_) {
      std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(), &archive_entry_free);
      archive_entry_set_pathname(e.get(), it.name.c_str());
      archive_entry_set_filetype(e.get(), it.type);
      archive_entry_set_perm(e.get(), it.mode);
      archive_entry_set_uid(e.get(), it.uid);
      archive_entry_set_gid(e.get(), it.gid);
      archive_entry_set_mtime(e.get(), it.mtime, 0);
      if (it.hardlink) {
        archive_entry_set_hardlink(e.get(), it.link.c_str());
      } else if (it.type == AE_IFLNK) {
        archive_entry_set_symlink(e.get(), it.link.c_str());
      }
      if (it.type == AE_IFCHR || it.type == AE_IFBLK) {
        archive_entry_set_rdevmajor(e.get(), it.major);
        archive_entry_set_rdevminor(e.get(), it.minor);
      }
      for (const auto& [k, v] : it.xattrs) archive_entry_xattr_add_entry(e.get(), k.c_str(), v.data(), v.size());
      const bool has_data = it.type == AE_IFREG && !it.hardlink;
      archive_entry_set_size(e.get(), has_data ? static_cast<la_int64_t>(it.content.size()) : 0);
      REQUIRE(archive_write_header(a.get(), e.get()) >= ARCHIVE_WARN);
      if (has_data && !it.content.empty()) {
        REQUIRE(archive_write_data(a.get(), it.content.data(), it.content.size()) ==
                static_cast<la_ssize_t>(it.content.size()));
      }
    }
    REQUIRE(archive_write_close(a.get()) == ARCHIVE_OK);
    return out;
  }

 private:
  static la_ssize_t append(archive*, void* data, const void* buf, size_t n) {
    static_cast<std::string*>(data)->append(static_cast<const char*>(buf), n);
    return static_cast<la_ssize_t>(n);
  }

  std::vector<Item> items_;
};

// Makes every directory below `path` writable again, so a plain user can remove a layer whose
// directories were given modes like 0555.
inline void make_removable(const std::string& path) {
  std::error_code ec;
  std::filesystem::permissions(path, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
  for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
    }
  }
}

// parent/ (mkdtemp) holding target/ (the layer root, open as target_fd).
struct TempTree {
  TempTree() {
    std::string tmpl = "/tmp/pod-layer-test-XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    parent = tmpl;
    target = parent + "/target";
    REQUIRE(::mkdir(target.c_str(), 0755) == 0);
    target_fd = pod::UniqueFd(::open(target.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    REQUIRE(target_fd);
  }
  ~TempTree() {
    target_fd.reset();
    make_removable(parent);
    std::error_code ec;
    std::filesystem::remove_all(parent, ec);
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  // Names directly in parent/: must stay {"target"} whatever a layer does.
  std::vector<std::string> parent_entries() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(parent)) names.push_back(e.path().filename().string());
    return names;
  }
  std::string path(const std::string& rel) const { return target + "/" + rel; }

  std::string parent;
  std::string target;
  pod::UniqueFd target_fd;
};

inline struct stat lstat_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st;
}

inline bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline std::string read_link(const std::string& path) {
  std::error_code ec;
  return std::filesystem::read_symlink(path, ec).string();
}

// Whether `id` is mapped in /proc/self/{uid,gid}_map.
inline bool id_mapped(const char* map, std::int64_t id) {
  std::ifstream in(map);
  std::int64_t inside = 0, outside = 0, count = 0;
  while (in >> inside >> outside >> count) {
    if (id >= inside && id - inside < count) return true;
  }
  return false;
}

// Real root, or root of a user namespace with a full range: chown to other ids works.
inline bool can_chown() {
  return ::geteuid() == 0 && id_mapped("/proc/self/uid_map", 1000) && id_mapped("/proc/self/gid_map", 1000);
}

// Root of the initial user namespace: trusted.* xattrs and device nodes work.
inline bool is_real_root() {
  std::ifstream in("/proc/self/uid_map");
  std::int64_t inside = -1, outside = -1, count = 0;
  in >> inside >> outside >> count;
  return ::geteuid() == 0 && inside == 0 && outside == 0 && count == 4294967295;
}

// Forces the openat2 fallback walker while alive.
struct FallbackGuard {
  explicit FallbackGuard(bool force) { pod::storage::detail::set_force_openat2_fallback(force); }
  ~FallbackGuard() { pod::storage::detail::set_force_openat2_fallback(false); }
  FallbackGuard(const FallbackGuard&) = delete;
  FallbackGuard& operator=(const FallbackGuard&) = delete;
};

}  // namespace layer_test
