// `pod commit`: a container's changes (its overlay upper directory) as a new layer on its
// image, with the config changes of --change, recorded like a build's image.
#pragma once

#include <string>
#include <vector>

#include "builder/build.hpp"

namespace pod::builder {

struct CommitOptions {
  std::string upper_dir;                // the container's writable layer
  std::string image_id;                 // the container's image
  std::vector<std::string> changes;     // --change "CMD …", "ENV …": Containerfile instructions
  std::string message;                  // the history comment
  std::string author;
  std::string created_by;               // the container's command, for the history
  std::vector<std::string> tags;
  bool docker_format = false;
};

// Error(invalid_input) "--change: …" for an instruction that is not a config change.
BuildResult commit_container(const BuildEnvironment& env, const CommitOptions& options);

}  // namespace pod::builder
