// Signal names as users type them (`pod-runtime kill`, an image's StopSignal).
#pragma once

#include <string_view>

namespace pod {

// "KILL", "SIGKILL", "sigkill", "9", "RTMIN", "SIGRTMIN+3", "RTMAX-1" → the signal's number
// on this architecture. Throws Error(invalid_input) "unknown signal `X`" for anything else,
// including 0 and numbers above SIGRTMAX.
int signal_number(std::string_view name);

}  // namespace pod
