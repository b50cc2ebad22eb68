// Internal to the builder: the state of one stage while its instructions run, and the steps.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "builder/build.hpp"
#include "builder/working_root.hpp"
#include "libcore/containerfile/parser.hpp"
#include "libcore/containerfile/words.hpp"
#include "libcore/oci/manifest.hpp"
#include "storage/layer_commit.hpp"

namespace pod::builder {

namespace cf = core::containerfile;

// A layer of the image being built, as its manifest will list it.
struct LayerRef {
  std::string chain_id;
  core::oci::Descriptor blob;
};

struct ImageState {
  nlohmann::json config;          // the whole image config (config, rootfs, history, …)
  std::vector<LayerRef> layers;   // bottom first
  std::string base_name;          // for the first history comment: "FROM …"
};



// The stages already built, by name and by index, for COPY --from and FROM <stage>.
struct BuiltStage {
  std::string name;
  ImageState image;
};

struct Stage {
  const BuildEnvironment& env;
  const BuildOptions& options;
  char escape = '\\';
  int index = 0;
  std::string name;
  ImageState image;
  std::map<std::string, std::string> args;  // ARGs declared in this stage, with their values
  std::string cache_key;                    // of everything so far; empty: the cache is off
  std::vector<storage::LayerLease> leases;  // the layers this build made, until recorded
  const std::vector<BuiltStage>* built = nullptr;
  std::unique_ptr<WorkingRoot> squash_root;  // --squash: one upper for all the stage's steps
  bool cmd_set = false;          // CMD given in this stage (ENTRYPOINT keeps it then)
  bool workdir_pending = false;  // WORKDIR named a directory the next step makes
  std::vector<std::string> shell;  // SHELL; empty: the image's, else /bin/sh -c

  Stage(const BuildEnvironment& e, const BuildOptions& o) : env(e), options(o) {}
  ~Stage();

  // What $VAR means in this stage: ARGs, then the config's Env (ENV wins over ARG).
  cf::Lookup lookup() const;
  std::vector<std::string> env_list() const;       // the config's Env
  std::string config_string(const char* key) const;  // config.<key> as a string ("" if absent)
  // The variables a RUN sees besides Env: the stage's ARGs.
  std::vector<std::string> run_env() const;
};

// Substitution of an instruction's arguments (words.hpp) with the stage's variables.
std::string expand(const Stage& stage, const std::string& text);
std::vector<std::string> expand_words(const Stage& stage, const std::string& text);

// Metadata instructions (ENV, LABEL, CMD, …): change the config only.
void apply_metadata(Stage& stage, const cf::Instruction& in);

// RUN in the working root.
void run_command(Stage& stage, const cf::Instruction& in, WorkingRoot& root);
// WORKDIR: the directory is made in the next layer-making step's root.
void ensure_workdir(Stage& stage, WorkingRoot& root);

// The shell of RUN, CMD and ENTRYPOINT's shell forms.
std::vector<std::string> shell_of(const Stage& stage);

// The history entry's created_by, as Buildah writes it.
std::string created_by(const cf::Instruction& in, const std::string& detail);

// The image of a FROM or COPY --from name: a built stage, else an image (pulled as --pull says).
ImageState image_for(const BuildEnvironment& env, const BuildOptions& options, const std::string& name);
// The image's root filesystem directories (top first) for a read-only mount.
std::vector<std::string> layer_dirs(const BuildEnvironment& env, const ImageState& image);

}  // namespace pod::builder
