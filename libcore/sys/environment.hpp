// Reading the process environment through a replaceable lookup, so path rules can be unit
// tested with a made-up environment instead of the real one.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace pod {

// Returns the value of a variable, nullopt when unset or empty.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The real process environment.
std::optional<std::string> process_env(std::string_view name);

}  // namespace pod
