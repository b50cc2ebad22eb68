#include "tools/pod/runtime_call.hpp"

#include "libcore/sys/error.hpp"
#include "libcore/sys/process.hpp"

namespace pod::tools {

std::vector<std::string> runtime_command(const GlobalOptions& global, const storage::ContainerRecord& r) {
  return {r.runtime.empty() ? find_helper_binary("pod-runtime") : r.runtime, "--root", runroot_of(global) + "/runtime"};
}

void call_runtime(const GlobalOptions& global, const storage::ContainerRecord& r, const std::vector<std::string>& args,
                  const std::string& doing) {
  std::vector<std::string> argv = runtime_command(global, r);
  argv.insert(argv.end(), args.begin(), args.end());
  const auto result = run_command(argv);
  if (result.exit_code != 0) {
    std::string output = result.output;
    while (!output.empty() && output.back() == '\n') output.pop_back();
    throw Error(doing + " container " + r.name + ": " + quote_untrusted(output, 300));
  }
}

}  // namespace pod::tools
