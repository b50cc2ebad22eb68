// pod commit [-c CHANGE] [-m MESSAGE] [-a AUTHOR] [-f FORMAT] CONTAINER [IMAGE]: the
// container's changes as a new image (the builder's layer commit).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>

#include "builder/commit.hpp"
#include "storage/container_store.hpp"
#include "tools/common/image_transports.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

struct CommitFlags {
  std::string container;
  std::string image;
  std::vector<std::string> changes;
  std::string message;
  std::string author;
  std::string format = "oci";
  bool quiet = false;
};

std::string command_line(const std::vector<std::string>& args) {
  std::string out;
  for (const auto& a : args) out += (out.empty() ? "" : " ") + a;
  return out;
}

void run_commit(const CommitFlags& f, const GlobalOptions& global, RunState& state) {
  OpenedStore opened = open_store(global, state);
  const auto record = storage::ContainerStore(opened.store).resolve(f.container);
  builder::BuildEnvironment env;
  env.store = &opened.store;
  env.rootless = opened.rootless;
  env.runroot = runroot_of(global);
  builder::CommitOptions options;
  options.upper_dir = storage::ContainerStore(opened.store).dir(record.id) + "/upper";
  options.image_id = record.image_id;
  options.changes = f.changes;
  options.message = f.message;
  options.author = f.author;
  options.created_by = command_line(record.command);
  options.docker_format = f.format == "docker";
  if (!f.image.empty()) options.tags.push_back(full_image_name(f.image));
  const auto result = builder::commit_container(env, options);
  fmt::print("{}\n", result.image_id);
}

}  // namespace

void add_commit_verb(CLI::App& app, const GlobalOptions& global, RunState& state) {
  auto f = std::make_shared<CommitFlags>();
  auto* verb = app.add_subcommand("commit", "create an image from a container's changes");
  verb->add_option("container", f->container, "container name or id")->required();
  verb->add_option("image", f->image, "name for the image");
  verb->add_option("-c,--change", f->changes, "apply a Containerfile instruction: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR")
      ->allow_extra_args(false);
  verb->add_option("-m,--message", f->message, "comment for the image's history");
  verb->add_option("-a,--author", f->author, "author of the image");
  verb->add_option("-f,--format", f->format, "image format: oci or docker")->check(CLI::IsMember({"oci", "docker"}));
  verb->add_flag("-q,--quiet", f->quiet, "print only the image id (the default)");
  verb->callback([f, &global, &state] { run_commit(*f, global, state); });
}

}  // namespace pod::tools
