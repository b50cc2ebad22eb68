#include "libcore/sys/signals.hpp"

#include <charconv>
#include <csignal>
#include <optional>
#include <string>

#include "libcore/sys/error.hpp"

namespace pod {
namespace {

struct SignalName {
  std::string_view name;  // without "SIG", upper case
  int number;
};

// The macros, not numbers: several signals are numbered differently on mips, sparc and alpha.
constexpr SignalName kSignals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT},     {"ILL", SIGILL},   {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT}, {"IOT", SIGIOT},       {"BUS", SIGBUS},       {"FPE", SIGFPE},   {"KILL", SIGKILL},
    {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},     {"USR2", SIGUSR2},     {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},
    {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},     {"CLD", SIGCHLD},  {"CONT", SIGCONT},
    {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN},     {"TTOU", SIGTTOU}, {"URG", SIGURG},
    {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},     {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
    {"IO", SIGIO},     {"POLL", SIGPOLL},     {"PWR", SIGPWR},       {"SYS", SIGSYS},
};

std::string to_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::optional<int> try_parse_decimal(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

bool is_valid_number(int n) { return n >= 1 && n <= SIGRTMAX; }

// "RTMIN", "RTMIN+3", "RTMAX", "RTMAX-2" (SIGRTMIN is a run-time value: glibc keeps a few
// real-time signals for itself).
std::optional<int> try_parse_realtime(std::string_view name) {
  const bool from_min = name.starts_with("RTMIN");
  if (!from_min && !name.starts_with("RTMAX")) return std::nullopt;
  const int base = from_min ? SIGRTMIN : SIGRTMAX;
  const std::string_view rest = name.substr(5);
  if (rest.empty()) return base;
  if (rest.front() != (from_min ? '+' : '-')) return std::nullopt;
  const auto offset = try_parse_decimal(rest.substr(1));
  if (!offset) return std::nullopt;
  const int n = from_min ? base + *offset : base - *offset;
  if (n < SIGRTMIN || n > SIGRTMAX) return std::nullopt;
  return n;
}

std::optional<int> try_parse_name(std::string_view text) {
  std::string name = to_upper(text);
  std::string_view bare = name;
  if (bare.starts_with("SIG")) bare.remove_prefix(3);
  for (const auto& s : kSignals) {
    if (s.name == bare) return s.number;
  }
  return try_parse_realtime(bare);
}

}  // namespace

int signal_number(std::string_view name) {
  if (const auto n = try_parse_decimal(name)) {
    if (is_valid_number(*n)) return *n;
  } else if (const auto named = try_parse_name(name)) {
    return *named;
  }
  throw Error("unknown signal " + quote_untrusted(name, 50), ErrorKind::invalid_input);
}

}  // namespace pod
