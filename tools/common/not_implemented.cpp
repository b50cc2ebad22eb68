#include "tools/common/not_implemented.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <cstdlib>

#include "libcore/version.hpp"
#include "tools/common/main.hpp"

namespace pod::tools {

void exit_not_implemented(std::string_view tool, std::string_view what_it_will_do) {
  fmt::print(stderr, "Error: {} {} is not implemented yet ({})\n", tool, kVersion, what_it_will_do);
  std::exit(kExitPodError);
}

}  // namespace pod::tools
