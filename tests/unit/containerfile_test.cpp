// The Containerfile parser, word processing and ignore rules (libcore/containerfile).
#include <catch2/catch.hpp>

#include <map>

#include "libcore/containerfile/ignore.hpp"
#include "libcore/containerfile/parser.hpp"
#include "libcore/containerfile/words.hpp"
#include "libcore/sys/error.hpp"

using namespace pod::core::containerfile;

namespace {

Lookup lookup_in(const std::map<std::string, std::string>& vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    const auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string error_of(std::string_view text) {
  try {
    parse(text, "Containerfile");
  } catch (const pod::Error& e) {
    return e.message();
  }
  return "";
}

}  // namespace

TEST_CASE("every instruction parses, keywords in any case, with flags and both forms") {
  const auto cf = parse(
      "# syntax=docker/dockerfile:1\n"
      "ARG BASE=busybox\n"
      "from --platform=linux/amd64 $BASE AS build\n"
      "RUN echo a && \\\n"
      "  # a comment inside\n"
      "    echo b\n"
      "CMD [\"sh\", \"-c\", \"echo hi\"]\n"
      "ENTRYPOINT echo x\n"
      "ENV A=1 B=\"two words\"\n"
      "LABEL a=b\n"
      "EXPOSE 80/tcp\n"
      "VOLUME /data\n"
      "USER 1000:1000\n"
      "WORKDIR /app\n"
      "COPY --from=build --chown=1:2 --chmod=0644 a b /dst/\n"
      "ADD x.tar /\n"
      "SHELL [\"/bin/sh\", \"-ec\"]\n"
      "STOPSIGNAL SIGTERM\n"
      "HEALTHCHECK --interval=5s CMD true\n"
      "ONBUILD RUN echo child\n"
      "MAINTAINER me\n",
      "Containerfile");
  REQUIRE(cf.syntax == "docker/dockerfile:1");
  REQUIRE(cf.instructions.size() == 18);
  const auto& from = cf.instructions[1];
  CHECK(from.keyword == "FROM");
  CHECK(from.line == 3);
  REQUIRE(from.flag("platform"));
  CHECK(from.flag("platform")->value == "linux/amd64");
  CHECK(from.args == "$BASE AS build");
  const auto& run = cf.instructions[2];
  CHECK(run.args == "echo a &&     echo b");
  CHECK_FALSE(run.exec_form);
  const auto& cmd = cf.instructions[3];
  CHECK(cmd.line == 7);
  REQUIRE(cmd.exec_form);
  CHECK(*cmd.exec_form == std::vector<std::string>{"sh", "-c", "echo hi"});
  const auto& copy = cf.instructions[11];
  CHECK(copy.flags.size() == 3);
  CHECK(copy.flag("chown")->value == "1:2");
  CHECK(copy.args == "a b /dst/");
  CHECK(cf.instructions[15].flag("interval")->value == "5s");
}

TEST_CASE("errors name the file, the line and the instruction") {
  CHECK(error_of("FROM a\nRUNN x\n") == "Containerfile:2: unknown instruction: `RUNN`");
  CHECK(error_of("FROM a\nCOPY --form=x a b\n") == "Containerfile:2: COPY: unknown flag: --form");
  CHECK(error_of("FROM a\nRUN\n") == "Containerfile:2: RUN: requires at least one argument");
  CHECK(error_of("FROM a b c d\n") == "Containerfile:1: FROM: expects `FROM IMAGE [AS NAME]`");
  CHECK(error_of("RUN x\n") == "Containerfile:1: RUN: the first instruction must be FROM (or ARG before it)");
  CHECK(error_of("FROM a\nCOPY onlyone\n") == "Containerfile:2: COPY: requires a source and a destination");
  CHECK(error_of("FROM a\nSHELL sh -c\n").find("requires the JSON form") != std::string::npos);
  CHECK(error_of("FROM a\nRUN <<EOF\necho\n") == "Containerfile:2: RUN: heredoc `EOF` has no terminating line");
  CHECK(error_of("# just a comment\n\n") == "Containerfile:1: no instructions (is this a Containerfile?)");
  CHECK(error_of("FROM a\nONBUILD FROM b\n") == "Containerfile:2: ONBUILD: ONBUILD FROM is not allowed");
  CHECK(error_of("# escape=x\nFROM a\n").find("invalid escape character") != std::string::npos);
}

TEST_CASE("heredocs take the lines up to their terminators") {
  const auto cf = parse("FROM a\nRUN <<EOF\necho one\necho two\nEOF\nCOPY <<-\"A\" <<B /dst/\n\tx $y\n\tA\nb\nB\nCMD x\n",
                        "Containerfile");
  REQUIRE(cf.instructions.size() == 4);
  const auto& run = cf.instructions[1];
  REQUIRE(run.heredocs.size() == 1);
  CHECK(run.heredocs[0].name == "EOF");
  CHECK(run.heredocs[0].body == "echo one\necho two\n");
  const auto& copy = cf.instructions[2];
  REQUIRE(copy.heredocs.size() == 2);
  CHECK(copy.heredocs[0].body == "x $y\n");
  CHECK_FALSE(copy.heredocs[0].expand);
  CHECK(copy.heredocs[0].strip_tabs);
  CHECK(copy.heredocs[1].body == "b\n");
  CHECK(cf.instructions[3].line == 11);
}

TEST_CASE("the escape directive changes the continuation character") {
  const auto cf = parse("# escape=`\nFROM a\nRUN dir c:\\ `\n  && echo\n", "Containerfile");
  CHECK(cf.escape == '`');
  REQUIRE(cf.instructions.size() == 2);
  CHECK(cf.instructions[1].args == "dir c:\\   && echo");
}

TEST_CASE("variables are substituted as Docker does") {
  const auto vars = lookup_in({{"A", "x"}, {"EMPTY", ""}, {"SP", "a b"}});
  CHECK(process_word("$A ${A}y $NOPE.", vars) == "x xy .");
  CHECK(process_word("${NOPE:-dflt} ${EMPTY:-e} ${EMPTY-set} ${A:+alt} ${NOPE:+alt}", vars) == "dflt e  alt ");
  CHECK(process_word("'$A' \"$A\" \\$A", vars) == "$A x $A");
  CHECK(process_word("${NOPE:-${A}z}", vars) == "xz");
  CHECK(process_words("one \"two three\" $SP", vars) == std::vector<std::string>{"one", "two three", "a b"});
  CHECK_THROWS_WITH(process_word("${NOPE:?must be set}", vars), Catch::Contains("NOPE: must be set"));
  CHECK_THROWS_WITH(process_word("${A", vars), Catch::Contains("unterminated"));
  CHECK_THROWS_WITH(process_word("'open", vars), Catch::Contains("unterminated single quote"));
}

TEST_CASE("ENV, LABEL and ARG pairs") {
  const auto vars = lookup_in({{"A", "x"}});
  const auto pairs = key_values("K1=v1 K2=\"a b\" K3=$A K4='$A'", vars, false);
  REQUIRE(pairs.size() == 4);
  CHECK(pairs[1].second == "a b");
  CHECK(pairs[2].second == "x");
  CHECK(pairs[3].second == "$A");
  const auto legacy = key_values("KEY some value $A", vars, false);
  REQUIRE(legacy.size() == 1);
  CHECK(legacy[0].first == "KEY");
  CHECK(legacy[0].second == "some value x");
  const auto arg = key_values("NAME", vars, true);
  REQUIRE(arg.size() == 1);
  CHECK_FALSE(arg[0].second);
  CHECK_THROWS_WITH(key_values("=v", vars, false), Catch::Contains("empty key"));
  CHECK_THROWS_WITH(key_values("KEY", vars, false), Catch::Contains("missing a value"));
}

TEST_CASE("ignore rules: directories, ** and exceptions, last match wins") {
  const auto rules = IgnoreRules::parse("# comment\n*.log\nbuild\n**/tmp\n!build/keep.txt\n/secret/*.key\n");
  CHECK(rules.excluded("a.log"));
  CHECK_FALSE(rules.excluded("dir/a.log"));
  CHECK(rules.excluded("build"));
  CHECK(rules.excluded("build/out.o"));
  CHECK_FALSE(rules.excluded("build/keep.txt"));
  CHECK(rules.excluded("x/y/tmp/z"));
  CHECK(rules.excluded("tmp"));
  CHECK(rules.excluded("secret/a.key"));
  CHECK_FALSE(rules.excluded("secret/a.pub"));
  CHECK_FALSE(rules.excluded("src/main.c"));
  CHECK(rules.has_exceptions());
}
