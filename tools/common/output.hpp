// --format handling shared by verbs that print one document: "json" prints it as JSON,
// no format runs the verb's own human-readable printer, anything else is a usage error.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <string>

namespace pod::tools {

// Throws a usage error unless `format` is one this verb knows: "json", or empty when
// `empty_allowed` (the verb's own text output).
void check_format(const std::string& format, bool empty_allowed = true);

void print_document(const std::string& format, const nlohmann::json& document,
                    const std::function<void(const nlohmann::json&)>& print_text);

}  // namespace pod::tools
