// pod image inspect IMAGE... (JSON array, as podman's)
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "libcore/sys/error.hpp"
#include "storage/image_store.hpp"
#include "tools/common/main.hpp"
#include "tools/common/output.hpp"
#include "tools/pod/image_views.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {

void add_image_inspect_verb(CLI::App& parent, const char* name, const GlobalOptions& global, RunState& state) {
  auto images_arg = std::make_shared<std::vector<std::string>>();
  auto format = std::make_shared<std::string>("json");
  auto* verb = parent.add_subcommand(name, "show details of images as JSON");
  verb->add_option("images", *images_arg, "images (names or ids)")->required();
  verb->add_option("-f,--format", *format, "output format: json");
  verb->callback([images_arg, format, &global, &state] {
    check_format(*format, /*empty_allowed=*/false);
    OpenedStore opened = open_store(global, state);
    storage::ImageStore images(opened.store);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& text : *images_arg) {
      try {
        const auto match = images.resolve(text);
        out.push_back(image_inspect_json(match.image, images));
      } catch (const Error& e) {
        fmt::print(stderr, "Error: {}\n", e.message());
        state.exit_code = kExitPodError;
      }
    }
    fmt::print("{}\n", out.dump(4));
  });
}

}  // namespace pod::tools
