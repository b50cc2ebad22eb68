// For binaries whose issue has not landed yet: a clear message and exit 125, nothing else.
#pragma once

#include <string_view>

namespace pod::tools {

[[noreturn]] void exit_not_implemented(std::string_view tool, std::string_view what_it_will_do);

}  // namespace pod::tools
