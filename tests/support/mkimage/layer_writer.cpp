#include "tests/support/mkimage/layer_writer.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "libcore/sys/error.hpp"

namespace pod::testsupport {
namespace {

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_write_free)>;
using EntryPtr = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;

void check(archive* a, int rc, const char* what) {
  if (rc < ARCHIVE_WARN) throw Error(std::string(what) + ": " + archive_error_string(a));
}

// The compressed end: hashes and writes to a temp file.
struct BlobSink {
  std::ofstream out;
  core::Hasher hasher;
  std::int64_t size = 0;
};

la_ssize_t blob_sink_write(archive*, void* data, const void* buf, size_t n) {
  auto* sink = static_cast<BlobSink*>(data);
  sink->out.write(static_cast<const char*>(buf), static_cast<std::streamsize>(n));
  sink->hasher.update(buf, n);
  sink->size += static_cast<std::int64_t>(n);
  return static_cast<la_ssize_t>(n);
}

// The tar end: hashes the uncompressed tar and feeds the compressor ("raw" format).
struct TarSink {
  archive* compressor = nullptr;
  core::Hasher hasher;
};

la_ssize_t tar_sink_write(archive*, void* data, const void* buf, size_t n) {
  auto* sink = static_cast<TarSink*>(data);
  sink->hasher.update(buf, n);
  return archive_write_data(sink->compressor, buf, n);
}

ArchivePtr open_compressor(BlobSink& sink, const std::string& compression) {
  ArchivePtr a(archive_write_new(), &archive_write_free);
  check(a.get(), archive_write_set_format_raw(a.get()), "raw format");
  if (compression == "gzip") {
    check(a.get(), archive_write_add_filter_gzip(a.get()), "gzip");
    check(a.get(), archive_write_set_filter_option(a.get(), "gzip", "timestamp", nullptr), "gzip option");
  } else if (compression == "zstd") {
    check(a.get(), archive_write_add_filter_zstd(a.get()), "zstd");
  } else if (compression != "none") {
    throw Error("unknown compression " + quote(compression));
  }
  archive_write_set_bytes_in_last_block(a.get(), 1);
  check(a.get(), archive_write_open2(a.get(), &sink, nullptr, blob_sink_write, nullptr, nullptr), "open compressor");
  EntryPtr entry(archive_entry_new(), &archive_entry_free);
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_pathname(entry.get(), "layer.tar");
  check(a.get(), archive_write_header(a.get(), entry.get()), "raw header");
  return a;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out.push_back(s[i]);
      continue;
    }
    const char c = s[++i];
    out.push_back(c == 'n' ? '\n' : c == 't' ? '\t' : c == 's' ? ' ' : c);
  }
  return out;
}

// Deterministic incompressible bytes (splitmix64).
std::string random_bytes(std::size_t size, std::uint64_t seed) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; i += 8) {
    seed += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = seed;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    for (std::size_t b = 0; b < 8 && i + b < size; ++b) out[i + b] = static_cast<char>(z >> (8 * b));
  }
  return out;
}

std::string file_content(const std::string& source) {
  if (source == "empty") return {};
  if (source.rfind("text:", 0) == 0) return unescape(source.substr(5));
  if (source.rfind("host:", 0) == 0) {
    std::ifstream in(source.substr(5), std::ios::binary);
    if (!in) throw_errno("open", source.substr(5));
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  if (source.rfind("random:", 0) == 0) {
    const auto colon = source.find(':', 7);
    return random_bytes(std::stoul(source.substr(7, colon - 7)),
                        colon == std::string::npos ? 1 : std::stoull(source.substr(colon + 1)));
  }
  throw Error("unknown file source " + quote(source));
}

std::string parent_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

std::string base_of(const std::string& path) { return path.substr(path.rfind('/') + 1); }

void write_entry(archive* tar, const Entry& e, std::int64_t mtime) {
  EntryPtr entry(archive_entry_new(), &archive_entry_free);
  archive_entry* ae = entry.get();
  archive_entry_set_mtime(ae, mtime, 0);
  archive_entry_set_uid(ae, e.uid);
  archive_entry_set_gid(ae, e.gid);
  archive_entry_set_perm(ae, e.mode);
  std::string content;
  switch (e.type) {
    case EntryType::dir: archive_entry_set_filetype(ae, AE_IFDIR); break;
    case EntryType::fifo: archive_entry_set_filetype(ae, AE_IFIFO); break;
    case EntryType::symlink:
      archive_entry_set_filetype(ae, AE_IFLNK);
      archive_entry_set_symlink(ae, e.target.c_str());
      break;
    case EntryType::hardlink: archive_entry_set_hardlink(ae, e.target.c_str()); break;
    case EntryType::file: content = file_content(e.source); [[fallthrough]];
    case EntryType::whiteout:
    case EntryType::opaque: archive_entry_set_filetype(ae, AE_IFREG); break;
  }
  std::string name = e.path;
  if (e.type == EntryType::whiteout) name = parent_of(e.path) + ".wh." + base_of(e.path);
  if (e.type == EntryType::opaque) name = e.path + "/.wh..wh..opq";
  archive_entry_set_pathname(ae, name.c_str());
  archive_entry_set_size(ae, static_cast<la_int64_t>(content.size()));
  check(tar, archive_write_header(tar, ae), ("tar header for " + name).c_str());
  if (!content.empty() && archive_write_data(tar, content.data(), content.size()) < 0) {
    throw Error("writing " + name + ": " + archive_error_string(tar));
  }
}

}  // namespace

WrittenBlob write_blob(const std::string& layout_dir, const std::string& bytes) {
  const auto digest = core::digest_of(bytes);
  const auto dir = std::filesystem::path(layout_dir) / "blobs" / "sha256";
  std::filesystem::create_directories(dir);
  std::ofstream out(dir / digest.hex(), std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) throw_errno("write", (dir / digest.hex()).string());
  return WrittenBlob{digest, static_cast<std::int64_t>(bytes.size())};
}

WrittenLayer write_layer(const std::string& layout_dir, const LayerSpec& layer, const std::string& compression,
                         std::int64_t mtime) {
  const auto dir = std::filesystem::path(layout_dir) / "blobs" / "sha256";
  std::filesystem::create_directories(dir);
  const auto temp = dir / ".layer.tmp";
  BlobSink blob_sink;
  blob_sink.out.open(temp, std::ios::binary | std::ios::trunc);
  ArchivePtr compressor = open_compressor(blob_sink, compression);
  TarSink tar_sink;
  tar_sink.compressor = compressor.get();
  ArchivePtr tar(archive_write_new(), &archive_write_free);
  check(tar.get(), archive_write_set_format_pax_restricted(tar.get()), "pax format");
  archive_write_set_bytes_in_last_block(tar.get(), 1);
  check(tar.get(), archive_write_open2(tar.get(), &tar_sink, nullptr, tar_sink_write, nullptr, nullptr), "open tar");
  for (const Entry& e : layer.entries) write_entry(tar.get(), e, mtime);
  check(tar.get(), archive_write_close(tar.get()), "close tar");
  check(compressor.get(), archive_write_close(compressor.get()), "close compressor");
  blob_sink.out.close();
  WrittenLayer out{WrittenBlob{blob_sink.hasher.finish(), blob_sink.size}, tar_sink.hasher.finish()};
  std::filesystem::rename(temp, dir / out.blob.digest.hex());
  return out;
}

}  // namespace pod::testsupport
