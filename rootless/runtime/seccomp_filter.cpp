#include "rootless/runtime/seccomp_filter.hpp"

#include <seccomp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"

namespace pod::rootless::runtime {

struct SeccompFilter::Context {
  scmp_filter_ctx ctx = nullptr;
  ~Context() {
    if (ctx != nullptr) seccomp_release(ctx);
  }
};

namespace {

using core::oci::SeccompArg;
using core::oci::SeccompSyscall;

constexpr std::uint32_t kDefaultErrno = EPERM;

void check(int rc, const std::string& what) {
  if (rc < 0) throw Error("seccomp: " + what + ": " + std::strerror(-rc), ErrorKind::invalid_input);
}

std::uint32_t action_of(const std::string& name, std::optional<std::uint32_t> errno_ret) {
  if (name == "SCMP_ACT_ALLOW") return SCMP_ACT_ALLOW;
  if (name == "SCMP_ACT_KILL" || name == "SCMP_ACT_KILL_THREAD") return SCMP_ACT_KILL_THREAD;
  if (name == "SCMP_ACT_KILL_PROCESS") return SCMP_ACT_KILL_PROCESS;
  if (name == "SCMP_ACT_TRAP") return SCMP_ACT_TRAP;
  if (name == "SCMP_ACT_LOG") return SCMP_ACT_LOG;
  if (name == "SCMP_ACT_ERRNO") return SCMP_ACT_ERRNO(errno_ret.value_or(kDefaultErrno));
  if (name == "SCMP_ACT_TRACE") return SCMP_ACT_TRACE(errno_ret.value_or(kDefaultErrno));
  throw Error("seccomp action " + quote(name) + " is not supported by pod-runtime", ErrorKind::unsupported);
}

scmp_compare operator_of(const std::string& name) {
  static const std::pair<const char*, scmp_compare> kOps[] = {
      {"SCMP_CMP_NE", SCMP_CMP_NE}, {"SCMP_CMP_LT", SCMP_CMP_LT}, {"SCMP_CMP_LE", SCMP_CMP_LE},
      {"SCMP_CMP_EQ", SCMP_CMP_EQ}, {"SCMP_CMP_GE", SCMP_CMP_GE}, {"SCMP_CMP_GT", SCMP_CMP_GT},
      {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
  };
  for (const auto& [text, op] : kOps) {
    if (name == text) return op;
  }
  throw Error("seccomp operator " + quote(name) + " is unknown", ErrorKind::invalid_input);
}

std::uint32_t arch_of(const std::string& name) {
  // "SCMP_ARCH_X86_64" → libseccomp's "x86_64".
  std::string short_name = name.rfind("SCMP_ARCH_", 0) == 0 ? name.substr(10) : name;
  std::transform(short_name.begin(), short_name.end(), short_name.begin(), [](unsigned char c) { return std::tolower(c); });
  const std::uint32_t arch = seccomp_arch_resolve_name(short_name.c_str());
  if (arch == 0) throw Error("seccomp architecture " + quote(name) + " is unknown", ErrorKind::invalid_input);
  return arch;
}

scmp_arg_cmp comparison(const SeccompArg& a) {
  scmp_arg_cmp c{};
  c.arg = a.index;
  c.op = operator_of(a.op);
  c.datum_a = a.value;  // the mask, for MASKED_EQ
  c.datum_b = a.value_two;
  return c;
}

bool indexes_repeat(const std::vector<SeccompArg>& args) {
  std::set<std::uint32_t> seen;
  for (const auto& a : args) {
    if (!seen.insert(a.index).second) return true;
  }
  return false;
}

void add_rule(scmp_filter_ctx ctx, std::uint32_t action, int syscall, const std::string& name,
              const std::vector<scmp_arg_cmp>& cmps) {
  const int rc = seccomp_rule_add_array(ctx, action, syscall, static_cast<unsigned>(cmps.size()), cmps.data());
  check(rc, "adding the rule for " + quote(name));
}

void add_syscall_rules(scmp_filter_ctx ctx, std::uint32_t default_action, const SeccompSyscall& s) {
  const std::uint32_t action = action_of(s.action, s.errno_ret);
  if (action == default_action) return;
  std::vector<scmp_arg_cmp> cmps;
  for (const auto& a : s.args) cmps.push_back(comparison(a));
  for (const auto& name : s.names) {
    const int nr = seccomp_syscall_resolve_name(name.c_str());
    if (nr == __NR_SCMP_ERROR) {
      log::debug("seccomp: skipping syscall " + quote(name) + ", unknown here");
      continue;
    }
    if (!indexes_repeat(s.args)) {
      add_rule(ctx, action, nr, name, cmps);
      continue;
    }
    for (const auto& c : cmps) add_rule(ctx, action, nr, name, {c});
  }
}

void set_flags(scmp_filter_ctx ctx, const std::vector<std::string>& flags) {
  // libseccomp sets no_new_privs itself by default: the runtime decides that, from the spec.
  check(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0), "leaving no_new_privs alone");
  for (const auto& flag : flags) {
    if (flag == "SECCOMP_FILTER_FLAG_TSYNC") {
      check(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1), flag);
    } else if (flag == "SECCOMP_FILTER_FLAG_LOG") {
      check(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1), flag);
    } else if (flag == "SECCOMP_FILTER_FLAG_SPEC_ALLOW") {
      check(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1), flag);
    } else {
      throw Error("seccomp flag " + quote(flag) + " is unknown", ErrorKind::invalid_input);
    }
  }
}

}  // namespace

SeccompFilter::SeccompFilter(const core::oci::Seccomp& profile) : context_(std::make_unique<Context>()) {
  const std::uint32_t default_action = action_of(profile.default_action, profile.default_errno_ret);
  context_->ctx = seccomp_init(default_action);
  if (context_->ctx == nullptr) throw Error("seccomp: cannot initialise a filter", ErrorKind::invalid_input);
  for (const auto& arch : profile.architectures) {
    const int rc = seccomp_arch_add(context_->ctx, arch_of(arch));
    if (rc != -EEXIST) check(rc, "adding architecture " + quote(arch));
  }
  set_flags(context_->ctx, profile.flags);
  for (const auto& s : profile.syscalls) add_syscall_rules(context_->ctx, default_action, s);
}

SeccompFilter::~SeccompFilter() = default;
SeccompFilter::SeccompFilter(SeccompFilter&&) noexcept = default;
SeccompFilter& SeccompFilter::operator=(SeccompFilter&&) noexcept = default;

void SeccompFilter::load() const {
  const int rc = seccomp_load(context_->ctx);
  if (rc < 0) throw Error(std::string("loading the seccomp filter: ") + std::strerror(-rc));
}

const std::vector<std::string>& supported_seccomp_actions() {
  static const std::vector<std::string> names = {"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL",
                                                 "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG",
                                                 "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"};
  return names;
}

const std::vector<std::string>& supported_seccomp_operators() {
  static const std::vector<std::string> names = {"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE",
                                                 "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"};
  return names;
}

}  // namespace pod::rootless::runtime
