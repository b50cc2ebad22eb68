#include "rootless/cgroup/cgroup_usage.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <string>
#include <tuple>

#include "libcore/sys/files.hpp"
#include "rootless/cgroup/container_cgroup.hpp"

namespace pod::rootless::cgroup {
namespace {

std::optional<std::uint64_t> number_in(const std::string& path) {
  const auto text = try_read_file(path, 256);
  if (!text || text->empty() || !std::isdigit(static_cast<unsigned char>((*text)[0]))) return std::nullopt;
  return std::stoull(*text);
}

// v1 reports "no limit" as a huge page-aligned number.
std::optional<std::uint64_t> real_limit(std::optional<std::uint64_t> v) {
  if (v && *v >= (std::uint64_t{1} << 62)) return std::nullopt;
  return v;
}

std::optional<std::uint64_t> minus_inactive_file(std::optional<std::uint64_t> usage, const std::string& stat_path,
                                                 std::string_view key) {
  if (!usage) return usage;
  const auto inactive = stat_field(try_read_file(stat_path, 1u << 16).value_or(""), key).value_or(0);
  return inactive < *usage ? *usage - inactive : 0;
}

}  // namespace

std::optional<std::uint64_t> stat_field(std::string_view text, std::string_view key) {
  std::istringstream in{std::string(text)};
  std::string name;
  std::uint64_t value = 0;
  while (in >> name >> value) {
    if (name == key) return value;
  }
  return std::nullopt;
}

std::pair<std::uint64_t, std::uint64_t> io_bytes(std::string_view text) {
  std::uint64_t read = 0, written = 0;
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string device, word;
    words >> device;
    while (words >> word) {
      if (word.rfind("rbytes=", 0) == 0) read += std::stoull(word.substr(7));
      if (word.rfind("wbytes=", 0) == 0) written += std::stoull(word.substr(7));
      std::uint64_t n = 0;
      if (word == "Read" && words >> n) read += n;
      if (word == "Write" && words >> n) written += n;
    }
  }
  return {read, written};
}

Usage read_usage(const ContainerCgroup& cg) {
  Usage u;
  const auto v1 = [&](const char* controller) {
    const auto it = cg.v1_dirs().find(controller);
    return it == cg.v1_dirs().end() ? std::string() : it->second;
  };
  const auto in_v2 = [&](const char* controller) { return cg.in_v2(controller); };
  const std::string& v2 = cg.v2_dir();
  if (!v2.empty()) {
    if (const auto usec = stat_field(try_read_file(v2 + "/cpu.stat", 4096).value_or(""), "usage_usec")) u.cpu_ns = *usec * 1000;
  } else if (const auto dir = v1("cpuacct"); !dir.empty()) {
    u.cpu_ns = number_in(dir + "/cpuacct.usage");
  }
  if (in_v2("memory")) {
    u.memory_bytes = minus_inactive_file(number_in(v2 + "/memory.current"), v2 + "/memory.stat", "inactive_file");
    u.memory_limit = number_in(v2 + "/memory.max");  // "max" is no number
  } else if (const auto dir = v1("memory"); !dir.empty()) {
    u.memory_bytes = minus_inactive_file(number_in(dir + "/memory.usage_in_bytes"), dir + "/memory.stat", "total_inactive_file");
    u.memory_limit = real_limit(number_in(dir + "/memory.limit_in_bytes"));
  }
  if (in_v2("pids")) {
    u.pids = number_in(v2 + "/pids.current");
  } else if (const auto dir = v1("pids"); !dir.empty()) {
    u.pids = number_in(dir + "/pids.current");
  }
  std::optional<std::string> io;
  if (in_v2("io")) {
    io = try_read_file(v2 + "/io.stat", 1u << 16);
  } else if (const auto dir = v1("blkio"); !dir.empty()) {
    io = try_read_file(dir + "/blkio.throttle.io_service_bytes_recursive", 1u << 16);
    if (!io) io = try_read_file(dir + "/blkio.throttle.io_service_bytes", 1u << 16);
  }
  if (io) std::tie(u.io_read_bytes, u.io_write_bytes) = io_bytes(*io);
  return u;
}

}  // namespace pod::rootless::cgroup
