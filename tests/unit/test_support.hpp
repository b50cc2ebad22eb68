// Helpers shared by the unit tests.
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "libcore/sys/environment.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"

namespace pod::test {

// The kind of the pod::Error that `fn` throws; fails the test when it throws none.
template <class Fn>
ErrorKind kind_of_failure(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.kind();
  }
  FAIL("expected a pod::Error");
  return ErrorKind::generic;
}

// A made-up environment for code that reads variables through an EnvLookup.
inline EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    const auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// Writes `text` to `path`, creating the parent directories.
inline void write_text(const std::string& path, std::string_view text) {
  make_dirs(path.substr(0, path.rfind('/')));
  std::ofstream(path) << text;
}

}  // namespace pod::test
