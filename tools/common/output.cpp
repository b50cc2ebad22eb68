#include "tools/common/output.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "libcore/sys/error.hpp"

namespace pod::tools {

void print_document(const std::string& format, const nlohmann::json& document,
                    const std::function<void(const nlohmann::json&)>& print_text) {
  if (format == "json") {
    fmt::print("{}\n", document.dump(2));
  } else if (format.empty()) {
    print_text(document);
  } else {
    throw Error("unsupported --format " + quote(format) + " (json is)", ErrorKind::usage);
  }
}

}  // namespace pod::tools
