// The image spec read by pod-test-mkimage: a line-based description of an image, so test
// fixtures can make exact images (owners, modes, whiteouts, odd entries) without privileges.
//
//   format oci|docker            compression gzip|zstd|none      platform linux/amd64
//   created 2024-01-01T00:00:00Z mtime 1700000000                 tag latest
//   config KEY JSON              e.g. config Cmd ["/bin/sh"]  (image config "config" keys)
//   layer [comment]              starts a new layer; entries below go into it:
//   dir PATH MODE UID GID        file PATH MODE UID GID SOURCE   fifo PATH MODE UID GID
//   symlink PATH TARGET          hardlink PATH TARGET            whiteout PATH   opaque DIR
// SOURCE: text:ESCAPED (\n, \t, \\, \s for a space), host:/path, random:BYTES:SEED, empty.
// MODE is octal (04755 for setuid). Blank lines and # comments are ignored.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pod::testsupport {

enum class EntryType { dir, file, symlink, hardlink, fifo, whiteout, opaque };

struct Entry {
  EntryType type = EntryType::file;
  std::string path;
  std::string target;   // symlink / hardlink target
  std::string source;   // file content source
  unsigned mode = 0644;
  unsigned uid = 0;
  unsigned gid = 0;
};

struct LayerSpec {
  std::string comment;
  std::vector<Entry> entries;
};

struct ImageSpec {
  std::string format = "oci";
  std::string compression = "gzip";
  std::string platform = "linux/amd64";
  std::string created = "2024-01-01T00:00:00Z";
  std::int64_t mtime = 1700000000;
  std::string tag = "latest";
  std::map<std::string, std::string> config_json;  // key → raw JSON value
  std::vector<LayerSpec> layers;
};

// Throws pod::Error naming "file:line" on a malformed line.
ImageSpec read_image_spec(const std::string& path);

}  // namespace pod::testsupport
