// The names config.json uses for kernel objects, and what they stand for.
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <utility>

#include "libcore/oci/runtime_spec.hpp"
#include "libcore/oci/runtime_spec_read.hpp"

namespace pod::core::oci {
namespace {

// Capability numbers are kernel ABI (linux/capability.h); spelled out so that names newer
// than the build host's headers are still known. The index is the number.
constexpr std::array<std::string_view, 41> kCapabilities = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

constexpr std::array<std::pair<std::string_view, int>, 16> kRlimits = {{
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_STACK", RLIMIT_STACK},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
}};

constexpr std::array<std::pair<std::string_view, NamespaceType>, 8> kNamespaces = {{
    {"pid", NamespaceType::pid},
    {"network", NamespaceType::network},
    {"mount", NamespaceType::mount},
    {"ipc", NamespaceType::ipc},
    {"uts", NamespaceType::uts},
    {"user", NamespaceType::user},
    {"cgroup", NamespaceType::cgroup},
    {"time", NamespaceType::time},
}};

constexpr std::array<std::string_view, 9> kSeccompActions = {
    "SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",   "SCMP_ACT_ERRNO",
    "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW",        "SCMP_ACT_LOG",         "SCMP_ACT_NOTIFY",
};

constexpr std::array<std::string_view, 7> kSeccompOperators = {
    "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
};

constexpr std::array<std::string_view, 8> kPropagations = {
    "private", "rprivate", "slave", "rslave", "shared", "rshared", "unbindable", "runbindable",
};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::optional<int> capability_number(std::string_view name) {
  const auto it = std::find(kCapabilities.begin(), kCapabilities.end(), name);
  if (it == kCapabilities.end()) return std::nullopt;
  return static_cast<int>(it - kCapabilities.begin());
}

std::optional<int> rlimit_resource(std::string_view name) {
  for (const auto& [text, resource] : kRlimits) {
    if (text == name) return resource;
  }
  return std::nullopt;
}

std::string_view to_string(NamespaceType type) {
  for (const auto& [text, t] : kNamespaces) {
    if (t == type) return text;
  }
  return "?";
}

std::optional<NamespaceType> try_parse_namespace_type(std::string_view name) {
  for (const auto& [text, t] : kNamespaces) {
    if (text == name) return t;
  }
  return std::nullopt;
}

std::vector<std::string> capability_names() { return {kCapabilities.begin(), kCapabilities.end()}; }

std::vector<std::string> namespace_type_names() {
  std::vector<std::string> out;
  for (const auto& [text, type] : kNamespaces) out.emplace_back(text);
  return out;
}

namespace detail {

bool is_seccomp_action(std::string_view name) { return contains(kSeccompActions, name); }
bool is_seccomp_operator(std::string_view name) { return contains(kSeccompOperators, name); }
bool is_propagation(std::string_view name) { return contains(kPropagations, name); }

std::string propagation_choices() {
  std::string out;
  for (const auto name : kPropagations) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

}  // namespace detail
}  // namespace pod::core::oci
