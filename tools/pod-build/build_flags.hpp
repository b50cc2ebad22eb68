// pod-build's command line: the flags of `podman build` it has, and running the build.
#pragma once

#include <string>
#include <vector>

#include "tools/common/registry_flags.hpp"

namespace CLI {
class App;
}

namespace pod::tools {

struct BuildFlags {
  std::string root;
  std::string runroot;
  std::string storage_driver;
  std::string log_level = "warn";
  std::string context = ".";
  std::string file;
  std::vector<std::string> tags;
  std::vector<std::string> build_args;
  std::vector<std::string> build_arg_files;
  std::vector<std::string> labels;
  std::vector<std::string> annotations;
  std::string target;
  bool squash = false;
  std::string timestamp;  // seconds since the epoch; else SOURCE_DATE_EPOCH
  std::string network = "host";
  std::string output;
  std::string iidfile;
  bool quiet = false;
  std::string format = "oci";
  bool layers = true;
  bool no_cache = false;
  std::string pull = "missing";
  std::string isolation = "oci";
  bool disable_compression = true;
  std::string platform;
  RegistryFlags registry;
};

void add_build_flags(CLI::App& app, BuildFlags& flags);

// Returns the exit code.
int run_build(const BuildFlags& flags);

// --output type=local,dest=DIR | type=tar,dest=FILE | type=oci,dest=FILE (or DIR alone: local).
struct OutputSpec {
  std::string type;
  std::string dest;
};
OutputSpec parse_output(const std::string& text);

}  // namespace pod::tools
