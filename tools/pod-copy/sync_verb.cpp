// pod-copy sync --src docker|dir --dest docker|dir SOURCE DESTINATION
// Copies every tag of a repository (or one image) from a registry, or every dir: image under a
// directory, to a registry namespace or a directory. Goes on past an image that fails and lists
// the failures at the end (exit 1); an image whose manifest is already at the destination is
// skipped, so a rerun only copies what is missing.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <filesystem>

#include "libcore/reference.hpp"
#include "libcore/registry/registry_client.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/transport/copy.hpp"
#include "tools/common/copy_progress.hpp"
#include "tools/common/main.hpp"
#include "tools/pod-copy/verbs.hpp"

namespace pod::tools {
namespace {

namespace transport = core::transport;

struct SyncFlags {
  std::string src_kind;
  std::string dest_kind;
  std::string source;
  std::string destination;
  bool all = false;
  bool scoped = false;
  bool quiet = false;
  int retry_times = 0;
  RegistryFlags src;
  RegistryFlags dest;
};

struct SyncItem {
  std::string source;  // TRANSPORT:DETAILS
  std::string name;    // path below the destination: "busybox:latest", "team/app:1"
};

std::string strip_docker_prefix(std::string text) {
  if (text.rfind("docker://", 0) == 0) text.erase(0, 9);
  return text;
}

std::vector<SyncItem> registry_items(const SyncFlags& f, const CopyGlobals& globals) {
  const std::string text = strip_docker_prefix(f.source);
  const auto ref = core::Reference::parse(text);
  const std::string base = f.scoped ? ref.repository() : ref.path().substr(ref.path().rfind('/') + 1);
  std::vector<std::string> tags;
  const bool one_image = text.find('@') != std::string::npos || text.rfind(':') > text.rfind('/');
  if (one_image) {
    tags.push_back(ref.tag().value_or(std::string(core::kDefaultTag)));
  } else {
    tags = storage::registry_client_for(ref, access_for(f.src, globals))->list_tags(ref.path());
  }
  std::vector<SyncItem> items;
  for (const auto& tag : tags) items.push_back({"docker://" + ref.repository() + ":" + tag, base + ":" + tag});
  return items;
}

std::vector<SyncItem> dir_items(const SyncFlags& f) {
  namespace fs = std::filesystem;
  std::vector<SyncItem> items;
  const fs::path root(f.source);
  if (!fs::is_directory(root)) throw Error("sync: " + quote(f.source) + " is not a directory", ErrorKind::not_found);
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().filename() != "manifest.json") continue;
    // Named by the path below SOURCE (SOURCE itself an image: by its own name).
    std::string name = fs::relative(entry.path().parent_path(), root).string();
    if (name == ".") {
      auto self = fs::absolute(root).lexically_normal();
      if (self.filename().empty()) self = self.parent_path();
      name = self.filename().string();
    }
    if (name.find(':') == std::string::npos) name += ":latest";
    items.push_back({"dir:" + entry.path().parent_path().string(), name});
  }
  std::sort(items.begin(), items.end(), [](const SyncItem& a, const SyncItem& b) { return a.name < b.name; });
  return items;
}

std::string destination_for(const SyncFlags& f, const SyncItem& item) {
  if (f.dest_kind == "docker") return "docker://" + strip_docker_prefix(f.destination) + "/" + item.name;
  return "dir:" + f.destination + "/" + item.name;
}

// The digest the destination already has under this name, if any.
std::optional<core::Digest> existing_digest(const transport::TransportReference& dest, const TransportContext& context) {
  try {
    return open_image_source(dest, context)->manifest().digest;
  } catch (const Error&) {
    return std::nullopt;
  }
}

void run_sync(const SyncFlags& f, const CopyGlobals& globals, RunState& state) {
  const auto items = f.src_kind == "docker" ? registry_items(f, globals) : dir_items(f);
  if (items.empty()) throw Error("sync: nothing to copy in " + quote(f.source), ErrorKind::not_found);
  const TransportContext src_context{access_for(f.src, globals), nullptr, true};
  const TransportContext dest_context{access_for(f.dest, globals), nullptr, true};
  transport::CopyOptions options;
  options.all = f.all;
  options.platform = globals.platform();
  options.retry_times = f.retry_times;
  CopyProgress progress(stdout, f.quiet);
  options.observer = &progress;
  std::vector<std::string> failures;
  int copied = 0, skipped = 0;
  for (const auto& item : items) {
    const std::string dest_text = destination_for(f, item);
    try {
      const auto dest_ref = transport::parse_transport_reference(dest_text);
      auto source = open_image_source(transport::parse_transport_reference(item.source), src_context);
      const auto have = existing_digest(dest_ref, dest_context);
      if (have && *have == source->manifest().digest) {
        if (!f.quiet) fmt::print("Skipping {}: already at {}\n", item.source, dest_text);
        ++skipped;
        continue;
      }
      if (!f.quiet) fmt::print("Copying image {} to {}\n", item.source, dest_text);
      auto destination = open_image_destination(dest_ref, dest_context);
      transport::copy_image(*source, *destination, options);
      destination->commit();
      ++copied;
    } catch (const Error& e) {
      fmt::print(stderr, "Error: {} → {}: {}\n", item.source, dest_text, e.message());
      failures.push_back(item.source);
    }
  }
  if (!f.quiet) fmt::print("Synced {} images ({} copied, {} already there)\n", copied + skipped, copied, skipped);
  if (!failures.empty()) {
    std::string list;
    for (const auto& s : failures) list += "\n  " + s;
    fmt::print(stderr, "{} of {} images failed:{}\n", failures.size(), items.size(), list);
    state.exit_code = 1;
  }
}

}  // namespace

void add_sync_verb(CLI::App& app, CopyGlobals& globals, RunState& state) {
  auto flags = std::make_shared<SyncFlags>();
  auto* verb = app.add_subcommand("sync", "copy every image of a repository or directory to a registry or directory");
  verb->add_option("--src,-s", flags->src_kind, "source kind: docker (a repository, or one image) or dir (a directory of dir: images)")
      ->required()->check(CLI::IsMember({"docker", "dir"}));
  verb->add_option("--dest,-d", flags->dest_kind, "destination kind: docker (a registry namespace) or dir (a directory)")
      ->required()->check(CLI::IsMember({"docker", "dir"}));
  verb->add_option("source", flags->source, "REGISTRY/REPOSITORY[:TAG] or a directory")->required();
  verb->add_option("destination", flags->destination, "REGISTRY[/NAMESPACE] or a directory")->required();
  verb->add_flag("-a,--all", flags->all, "copy every image of an index");
  verb->add_flag("--scoped", flags->scoped, "keep the source's registry and repository path below the destination");
  verb->add_option("--retry-times", flags->retry_times, "extra attempts per blob after a transient failure");
  verb->add_flag("-q,--quiet", flags->quiet, "print only failures");
  verb->add_option("--authfile", globals.shared.authfile, "authentication file for both sides");
  add_registry_flags(*verb, flags->src, "src-");
  add_registry_flags(*verb, flags->dest, "dest-");
  verb->callback([flags, &globals, &state] { run_sync(*flags, globals, state); });
}

}  // namespace pod::tools
