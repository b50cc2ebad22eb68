// pod-copy list-tags docker://REPO
// pod-copy delete [--force] docker://IMAGE:TAG|@DIGEST
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "libcore/reference.hpp"
#include "libcore/registry/registry_client.hpp"
#include "libcore/sys/error.hpp"
#include "tools/pod-copy/verbs.hpp"

namespace pod::tools {
namespace {

namespace transport = core::transport;

struct RegistryVerbFlags {
  std::string image;
  bool force = false;
  RegistryFlags registry;
};

core::Reference registry_name(const std::string& text, const char* verb) {
  const auto ref = transport::parse_transport_reference(text);
  if (ref.kind != transport::TransportKind::docker) {
    throw Error(std::string(verb) + " works on registries: name the image as docker://REGISTRY/REPOSITORY",
                ErrorKind::usage);
  }
  return core::Reference::parse(ref.path);
}

void run_list_tags(const RegistryVerbFlags& f, const CopyGlobals& globals) {
  const auto ref = registry_name(f.image, "list-tags");
  const auto tags = storage::registry_client_for(ref, access_for(f.registry, globals))->list_tags(ref.path());
  fmt::print("{}\n", nlohmann::ordered_json{{"Repository", ref.repository()}, {"Tags", tags}}.dump(4));
}

void run_delete(const RegistryVerbFlags& f, const CopyGlobals& globals) {
  const auto ref = registry_name(f.image, "delete");
  auto client = storage::registry_client_for(ref, access_for(f.registry, globals));
  const core::Digest digest = client->get_manifest(ref.path(), ref.manifest_reference()).digest;
  // Deleting a manifest removes every tag that points at it: say which, unless forced.
  std::vector<std::string> also;
  for (const auto& tag : client->list_tags(ref.path())) {
    if (ref.tag() && tag == *ref.tag()) continue;
    try {
      if (client->get_manifest(ref.path(), tag).digest == digest) also.push_back(tag);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found) throw;
    }
  }
  if (!also.empty() && !f.force) {
    std::string list;
    for (const auto& t : also) list += (list.empty() ? "" : ", ") + t;
    throw Error("deleting " + quote(ref.str()) + " would also delete tag(s) " + list + " of the same manifest " +
                    digest.str() + ": use --force to delete them all",
                ErrorKind::conflict);
  }
  client->delete_manifest(ref.path(), digest);
}

}  // namespace

void add_registry_verbs(CLI::App& app, CopyGlobals& globals) {
  auto tags = std::make_shared<RegistryVerbFlags>();
  auto* list = app.add_subcommand("list-tags", "list the tags of a repository in a registry");
  list->add_option("repository", tags->image, "docker://REGISTRY/REPOSITORY")->required();
  add_registry_flags(*list, tags->registry);
  list->callback([tags, &globals] { run_list_tags(*tags, globals); });

  auto del = std::make_shared<RegistryVerbFlags>();
  auto* verb = app.add_subcommand("delete", "delete an image's manifest from a registry");
  verb->add_option("image", del->image, "docker://REGISTRY/REPOSITORY:TAG or @DIGEST")->required();
  verb->add_flag("--force", del->force, "also when other tags point at the same manifest (they go too)");
  add_registry_flags(*verb, del->registry);
  verb->callback([del, &globals] { run_delete(*del, globals); });
}

}  // namespace pod::tools
