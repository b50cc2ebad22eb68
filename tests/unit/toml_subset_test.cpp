#include "libcore/config/toml_subset.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "libcore/sys/error.hpp"

using pod::core::config::parse_toml;
using pod::core::config::toml_find;
using pod::core::config::TomlArray;
using pod::core::config::TomlTable;
using pod::core::config::TomlValue;

namespace {

const TomlValue& at(const TomlTable& table, std::string_view key) {
  const TomlValue* v = toml_find(table, key);
  REQUIRE(v != nullptr);
  return *v;
}

const TomlTable& table(const TomlValue& v) { return std::get<TomlTable>(v.data); }
const TomlArray& array(const TomlValue& v) { return std::get<TomlArray>(v.data); }
const std::string& str(const TomlValue& v) { return std::get<std::string>(v.data); }

struct Invalid {
  std::string text;
  std::string message;
};

}  // namespace

TEST_CASE("toml: scalars, strings and escapes", "[registries_conf][toml]") {
  const auto doc = parse_toml(
      "# comment\n"
      "a = \"x \\\"q\\\" \\\\ \\t\\n \\u00e9 \\U0001F600\"  # trailing comment\n"
      "b = 'C:\\no\\escapes'\n"
      "c = true\n"
      "d = false\n"
      "e = -42\n"
      "f = 1_000\n"
      "\"quoted key\" = 1\n"
      "dotted.key = \"v\"\r\n",
      "t.conf");
  CHECK(str(at(doc, "a")) == "x \"q\" \\ \t\n \xC3\xA9 \xF0\x9F\x98\x80");
  CHECK(str(at(doc, "b")) == "C:\\no\\escapes");
  CHECK(std::get<bool>(at(doc, "c").data));
  CHECK_FALSE(std::get<bool>(at(doc, "d").data));
  CHECK(std::get<std::int64_t>(at(doc, "e").data) == -42);
  CHECK(std::get<std::int64_t>(at(doc, "f").data) == 1000);
  CHECK(std::get<std::int64_t>(at(doc, "quoted key").data) == 1);
  CHECK(str(at(table(at(doc, "dotted")), "key")) == "v");
  CHECK(at(doc, "c").line == 4);
}

TEST_CASE("toml: multi-line arrays with comments and a trailing comma", "[registries_conf][toml]") {
  const auto doc = parse_toml(
      "list = [\n"
      "  \"one\", # first\n"
      "  'two',\n"
      "\n"
      "]\n"
      "empty = []\n"
      "after = 1\n",
      "t.conf");
  const auto& list = array(at(doc, "list"));
  REQUIRE(list.size() == 2);
  CHECK(str(list[0]) == "one");
  CHECK(str(list[1]) == "two");
  CHECK(array(at(doc, "empty")).empty());
  CHECK(at(doc, "after").line == 7);
}

TEST_CASE("toml: tables and arrays of tables; a sub-array joins the last element", "[registries_conf][toml]") {
  const auto doc = parse_toml(
      "top = 1\n"
      "[[registry]]\n"
      "location = \"a\"\n"
      "[[registry.mirror]]\n"
      "location = \"a-m1\"\n"
      "[[registry]]\n"
      "location = \"b\"\n"
      "[[registry.mirror]]\n"
      "location = \"b-m1\"\n"
      "[[registry.mirror]]\n"
      "location = \"b-m2\"\n"
      "[aliases]\n"
      "\"docker.io/library/x\" = \"y\"\n"
      "[a.b]\n"
      "c = 1\n"
      "[a]\n"
      "d = 2\n",
      "t.conf");
  const auto& regs = array(at(doc, "registry"));
  REQUIRE(regs.size() == 2);
  CHECK(array(at(table(regs[0]), "mirror")).size() == 1);
  const auto& b_mirrors = array(at(table(regs[1]), "mirror"));
  REQUIRE(b_mirrors.size() == 2);
  CHECK(str(at(table(b_mirrors[1]), "location")) == "b-m2");
  CHECK(regs[1].line == 6);
  CHECK(str(at(table(at(doc, "aliases")), "docker.io/library/x")) == "y");
  CHECK(std::get<std::int64_t>(at(table(at(table(at(doc, "a")), "b")), "c").data) == 1);
  CHECK(std::get<std::int64_t>(at(table(at(doc, "a")), "d").data) == 2);
}

TEST_CASE("toml: errors name the file and line", "[registries_conf][toml]") {
  const auto c = GENERATE(values<Invalid>({
      {"a = 1\nb = \"open\n", "t.conf:2: unterminated string"},
      {"a = 1\n\nb = 'open\n", "t.conf:3: unterminated string"},
      {"a = \"bad \\q\"\n", "t.conf:1: invalid escape `\\q` in a string"},
      {"a = \"\\u12\"\n", "t.conf:1: expected 4 hex digits in a unicode escape"},
      {"a = \"\\uD800\"\n", "t.conf:1: unicode escape is not a scalar value"},
      {"a = 1\na = 2\n", "t.conf:2: key `a` is defined twice"},
      {"[x]\n[x]\n", "t.conf:2: table `x` is defined twice"},
      {"a = 1\n[a]\n", "t.conf:2: key `a` is already defined as an integer"},
      {"a = [\"x\"]\n[[a]]\n", "t.conf:2: key `a` is already defined as an array, not an array of tables"},
      {"a = [\n  \"x\",\n  \"y\"\n", "t.conf:1: unterminated array"},
      {"a = [\"x\" \"y\"]\n", "t.conf:1: expected `,`, found `\"`"},
      {"a = 1.5\n", "t.conf:1: unsupported value `1.5`"},
      {"a = 1979-05-27\n", "t.conf:1: unsupported value `1979-05-27`"},
      {"a = 0x10\n", "t.conf:1: unsupported value `0x10`"},
      {"a = 012\n", "t.conf:1: leading zeros in integer `012`"},
      {"a = 99999999999999999999\n", "t.conf:1: integer out of range: `99999999999999999999`"},
      {"a = { b = 1 }\n", "t.conf:1: inline tables are not supported"},
      {"a = \"\"\"x\"\"\"\n", "t.conf:1: multi-line strings are not supported"},
      {"a = 1 b = 2\n", "t.conf:1: expected the end of the line, found `b`"},
      {"\n\n= 1\n", "t.conf:3: expected a key, found `=`"},
      {"a\n", "t.conf:1: expected `=`, found the end of the line"},
      {"a =\n", "t.conf:1: expected a value, found the end of the line"},
      {"[x\n", "t.conf:1: expected `]`, found the end of the line"},
      {"[[x]\n", "t.conf:1: expected `]`, found the end of the line"},
      {"a = \"tab\tok\" \nb = \"nul\x01\"\n", "t.conf:2: control character in a string"},
  }));
  CAPTURE(c.text);
  REQUIRE_THROWS_WITH(parse_toml(c.text, "t.conf"), c.message);
  try {
    parse_toml(c.text, "t.conf");
  } catch (const pod::Error& e) {
    CHECK(e.kind() == pod::ErrorKind::invalid_input);
  }
}
