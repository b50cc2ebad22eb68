// `pod cp`'s transport: a file or directory tree as a tar stream (libarchive), written on one
// side and unpacked on the other. The sides may be different processes — the host's, and one
// that joined the container's namespaces — connected by a pipe.
//
// Docker's rules for where things land: the stream's top entry is the source's base name; it
// is unpacked inside `destination` when that is an existing directory, else it becomes
// `destination` itself (renamed), whose parent must exist.
#pragma once

#include <string>

namespace pod::storage {

// Loads what the copy needs (libarchive) now: before forking into a container's namespaces,
// where the host's libraries cannot be found.
void prepare_tar_copy();

// Writes `source` (a file, or a directory and everything under it) to `fd` as a tar stream.
// Throws Error naming the path when it cannot be read.
void write_tar(const std::string& source, int fd);

// `pod export`: what is under `dir`, names relative to it ("bin/sh"), the top itself left
// out; other filesystems mounted below it (/proc, /sys, /dev of a running container) are not
// descended into.
void write_tar_contents(const std::string& dir, int fd);

// Unpacks the stream (plain, or compressed in any way libarchive reads) from `fd` as described above; entries never land outside the
// destination (no "..", no absolute names, no writing through links). Files belong to the
// unpacking process; modes and times are kept.
void extract_tar(int fd, const std::string& destination);

}  // namespace pod::storage
