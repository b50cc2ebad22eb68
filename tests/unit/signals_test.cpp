#include "libcore/sys/signals.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <string>

#include "tests/unit/test_support.hpp"

using pod::signal_number;
using pod::test::kind_of_failure;

namespace {

struct Case {
  std::string text;
  int expected;
};

}  // namespace

TEST_CASE("signal_number accepts names with or without SIG, any case, and numbers", "[signals]") {
  const auto c = GENERATE(values<Case>({
      {"KILL", SIGKILL},
      {"SIGKILL", SIGKILL},
      {"sigkill", SIGKILL},
      {"kill", SIGKILL},
      {"SigTerm", SIGTERM},
      {"TERM", SIGTERM},
      {"HUP", SIGHUP},
      {"INT", SIGINT},
      {"QUIT", SIGQUIT},
      {"USR1", SIGUSR1},
      {"SIGUSR2", SIGUSR2},
      {"STOP", SIGSTOP},
      {"CONT", SIGCONT},
      {"SIGCHLD", SIGCHLD},
      {"CLD", SIGCHLD},
      {"WINCH", SIGWINCH},
      {"SIGPWR", SIGPWR},
      {"SYS", SIGSYS},
      {"IOT", SIGABRT},
      {"9", 9},
      {"15", 15},
      {"1", 1},
      {std::to_string(SIGRTMAX), SIGRTMAX},
  }));
  CAPTURE(c.text);
  CHECK(signal_number(c.text) == c.expected);
}

TEST_CASE("signal_number knows the real-time signals relative to RTMIN and RTMAX", "[signals]") {
  CHECK(signal_number("RTMIN") == SIGRTMIN);
  CHECK(signal_number("SIGRTMIN") == SIGRTMIN);
  CHECK(signal_number("SIGRTMIN+3") == SIGRTMIN + 3);
  CHECK(signal_number("rtmax-1") == SIGRTMAX - 1);
  CHECK(signal_number("SIGRTMAX") == SIGRTMAX);
  CHECK(signal_number("RTMIN+" + std::to_string(SIGRTMAX - SIGRTMIN)) == SIGRTMAX);
}

TEST_CASE("signal_number rejects what is not a signal", "[signals]") {
  const auto text =
      GENERATE(as<std::string>{}, "", "SIG", "FOO", "SIGFOO", "SIGSIGKILL", "0", "-9", "+9", " 9", "9 ", "9x", "0x9",
               "99999999999", "RTMIN-1", "RTMAX+1", "RTMIN+", "RTMIN3", "RTMIN+100", "KILL\n");
  CAPTURE(text);
  REQUIRE_THROWS_WITH(signal_number(text), Catch::StartsWith("unknown signal `"));
  CHECK(kind_of_failure([&] { signal_number(text); }) == pod::ErrorKind::invalid_input);
}

TEST_CASE("an unknown signal is named in the error", "[signals]") {
  REQUIRE_THROWS_WITH(signal_number("SIGFLY"), "unknown signal `SIGFLY`");
  REQUIRE_THROWS_WITH(signal_number(std::to_string(SIGRTMAX + 1)),
                      "unknown signal `" + std::to_string(SIGRTMAX + 1) + "`");
}
