// Containerfile / Dockerfile syntax: the text → a list of instructions, each with its flags,
// its arguments (shell form or JSON exec form) and its heredocs. Nothing is substituted here —
// which words get $VAR expansion depends on the instruction and on the build's state
// (words.hpp does it when the builder gets there). The input is untrusted: every error is
// Error(invalid_input) "FILE:LINE: INSTRUCTION: what is wrong".
//
// Docker's rules: parser directives (`# syntax=`, `# escape=`) only at the very top; an
// escape character (default backslash) at the end of a line continues it, and comment lines
// inside a continuation are dropped; keywords are case-insensitive; `<<EOF` heredocs in RUN,
// COPY and ADD take the lines up to their terminator.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pod::core::containerfile {

struct Heredoc {
  std::string name;          // the terminator word
  std::string body;          // the lines between, each ending in "\n"
  bool expand = true;        // false when the terminator was quoted (<<"EOF")
  bool strip_tabs = false;   // <<-EOF: leading tabs removed from the body and the terminator
};

struct Flag {
  std::string name;   // without the dashes: "from"
  std::string value;  // "" for a flag given without "=value"
};

struct Instruction {
  std::string keyword;                                // upper case: "RUN"
  std::vector<Flag> flags;                            // in order, as given
  std::string args;                                   // the text after the flags, trimmed
  std::optional<std::vector<std::string>> exec_form;  // args as a JSON array of strings
  std::vector<Heredoc> heredocs;
  std::string text;  // the instruction as written, continuations joined (for messages)
  std::string file;
  int line = 0;      // where it starts, 1-based

  // "FILE:LINE: KEYWORD" — the prefix of every message about this instruction.
  std::string where() const;
  const Flag* flag(std::string_view name) const;
};

struct Containerfile {
  std::string file;
  char escape = '\\';
  std::string syntax;  // `# syntax=` (a BuildKit frontend image; pod-build notes and ignores it)
  std::vector<Instruction> instructions;
};

// Throws Error(invalid_input) "FILE:LINE: …" for an unknown instruction, a flag the
// instruction does not take, a missing argument, an unterminated heredoc or continuation
// at the end of the file, a bad directive, a file with no instructions.
Containerfile parse(std::string_view text, const std::string& file_name);

// One instruction from a line of text (an ONBUILD trigger), with the same checks.
Instruction parse_instruction(std::string_view text, const std::string& file_name, int line, char escape = '\\');

}  // namespace pod::core::containerfile
