// Internal to the builder: what a COPY or ADD copies — its sources resolved in the build
// context (or another stage's or image's files, or heredocs), its destination, its owner and
// mode — and one walk of the sources that both the cache digest and the copy use.
#pragma once

#include <sys/stat.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "builder/stage.hpp"
#include "builder/working_root.hpp"
#include "libcore/containerfile/ignore.hpp"
#include "libcore/sys/fd.hpp"

namespace pod::builder {

struct CopySource {
  std::string shown;          // as the Containerfile names it (messages)
  std::string path;           // cleaned, relative to the source root ("" = the root)
  bool is_dir = false;
  std::optional<std::string> heredoc;  // content of a heredoc source (name in `shown`)
};

struct CopyPlan {
  bool add = false;
  std::vector<CopySource> sources;
  std::string dest;            // absolute in the image
  bool dest_slash = false;     // written with a trailing "/" (or ".")
  bool dest_is_dir = false;    // that, or several sources
  std::optional<std::string> chown;
  std::optional<mode_t> chmod;
  std::string from;            // --from: a stage or an image; empty: the context
  std::optional<ImageState> from_image;      // its files, mounted only to copy them
  std::vector<std::string> from_words;       // its source words, resolved once mounted
  // Where sources are read: the context directory, or a mounted stage/image.
  int source_root_fd = -1;
  std::unique_ptr<ReadOnlyRoot> from_root;
  UniqueFd context_fd;
  const core::containerfile::IgnoreRules* ignore = nullptr;  // context only
};

// Resolves the instruction's sources (globs, ignore rules) and destination. Error naming
// FILE:LINE when a source is missing or leaves the context.
CopyPlan plan_copy(Stage& stage, const cf::Instruction& in, const core::containerfile::IgnoreRules& ignore);

// The digest the cache key takes for the sources: paths, types, modes, link targets and
// contents of the context's files (never times); for --from, the image's identity.
std::string sources_digest(const CopyPlan& plan);

// Mounts a --from image and resolves the sources in it (a no-op for the context).
void open_from_sources(Stage& stage, const cf::Instruction& in, CopyPlan& plan);

// COPY/ADD into the working root (mounting a --from image first).
void copy_into(Stage& stage, const cf::Instruction& in, CopyPlan& plan, WorkingRoot& root);

// Calls `visit` for a file source, or for everything under a directory source (sorted, a
// directory before its content), with the path relative to the source directory. An entry
// is `name` in `parent_fd`; a file source is visited with name "" and its own fd as
// parent_fd (readable when it is a regular file).
struct SourceEntry {
  std::string relative;
  int parent_fd;
  std::string name;
  struct stat st;
};
void walk_source(const CopyPlan& plan, const CopySource& source, const std::function<void(const SourceEntry&)>& visit);

}  // namespace pod::builder
