// libarchive, loaded with dlopen when a tar is first read or written (pulls, `pod cp`) rather
// than linked: with its dependencies (libxml2, ICU, lzma, bz2, lz4, nettle, acl) it costs every
// pod process 1.4 ms at start, and most commands never touch a tar. The functions pod uses,
// resolved once; types and constants still come from the headers.
#pragma once

#include <archive.h>
#include <archive_entry.h>

namespace pod::core {

#define POD_LIBARCHIVE_FUNCTIONS(X) \
  X(archive_entry_atime) \
  X(archive_entry_atime_is_set) \
  X(archive_entry_atime_nsec) \
  X(archive_entry_filetype) \
  X(archive_entry_free) \
  X(archive_entry_gid) \
  X(archive_entry_hardlink) \
  X(archive_entry_mtime) \
  X(archive_entry_mtime_nsec) \
  X(archive_entry_new) \
  X(archive_entry_pathname) \
  X(archive_entry_perm) \
  X(archive_entry_rdevmajor) \
  X(archive_entry_rdevminor) \
  X(archive_entry_set_hardlink) \
  X(archive_entry_set_pathname) \
  X(archive_entry_size) \
  X(archive_entry_sourcepath) \
  X(archive_entry_symlink) \
  X(archive_entry_uid) \
  X(archive_entry_xattr_next) \
  X(archive_entry_xattr_reset) \
  X(archive_error_string) \
  X(archive_read_data_skip) \
  X(archive_read_support_filter_zstd) \
  X(archive_read_support_filter_gzip) \
  X(archive_read_support_filter_all) \
  X(archive_entry_set_mtime) \
  X(archive_entry_set_perm) \
  X(archive_entry_set_filetype) \
  X(archive_entry_set_size) \
  X(archive_read_data) \
  X(archive_read_data_block) \
  X(archive_read_disk_descend) \
  X(archive_read_disk_new) \
  X(archive_read_disk_open) \
  X(archive_read_disk_set_behavior) \
  X(archive_read_disk_set_standard_lookup) \
  X(archive_read_disk_set_symlink_physical) \
  X(archive_read_free) \
  X(archive_read_new) \
  X(archive_read_next_header) \
  X(archive_read_next_header2) \
  X(archive_read_open) \
  X(archive_read_open_fd) \
  X(archive_read_support_format_empty) \
  X(archive_read_support_format_tar) \
  X(archive_set_error) \
  X(archive_write_close) \
  X(archive_write_data) \
  X(archive_write_data_block) \
  X(archive_write_disk_new) \
  X(archive_write_disk_set_options) \
  X(archive_write_finish_entry) \
  X(archive_write_free) \
  X(archive_write_header) \
  X(archive_write_new) \
  X(archive_write_open_fd) \
  X(archive_write_set_format_pax_restricted) \
  X(archive_write_open) \
  X(archive_write_set_bytes_in_last_block) \
  X(archive_entry_clear) \
  X(archive_entry_set_uid) \
  X(archive_entry_set_gid) \
  X(archive_entry_set_symlink) \
  X(archive_entry_set_rdevmajor) \
  X(archive_entry_set_rdevminor) \
  X(archive_entry_xattr_add_entry)

struct LibArchive {
#define POD_LIBARCHIVE_MEMBER(name) decltype(&::name) name;
  POD_LIBARCHIVE_FUNCTIONS(POD_LIBARCHIVE_MEMBER)
#undef POD_LIBARCHIVE_MEMBER
};

// Loads libarchive.so.13 the first time (thread-safe). Throws Error naming the library and the
// fix when it is missing.
const LibArchive& libarchive();

}  // namespace pod::core
