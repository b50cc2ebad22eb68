#include "tools/common/output.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "libcore/sys/error.hpp"

namespace pod::tools {

void check_format(const std::string& format, bool empty_allowed) {
  if (format == "json" || (empty_allowed && format.empty())) return;
  throw Error("unsupported --format " + quote(format) + " (json is)", ErrorKind::usage);
}

void print_document(const std::string& format, const nlohmann::json& document,
                    const std::function<void(const nlohmann::json&)>& print_text) {
  check_format(format);
  if (format == "json") {
    fmt::print("{}\n", document.dump(2));
  } else {
    print_text(document);
  }
}

}  // namespace pod::tools
