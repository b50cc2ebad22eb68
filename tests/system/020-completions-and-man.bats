#!/usr/bin/env bats
# Completions and man pages are generated from the CLI declaration at build time and
# installed; they must cover every verb and flag the binary accepts.

load helpers

completion_file() { echo "$POD_PREFIX/share/bash-completion/completions/pod"; }

# complete_words WORD... — what the installed completion offers for the last word.
complete_words() {
  bash -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    _pod
    echo "${COMPREPLY[*]}"' _ "$(completion_file)" "$@"
}

@test "the bash completion is installed and valid bash" {
  [ -f "$(completion_file)" ] || die "missing $(completion_file)"
  bash -n "$(completion_file)"
}

@test "verbs and their flags complete" {
  run complete_words pod ver
  [ "$output" = version ] || die "pod ver<TAB> gave '$output'"
  run complete_words pod info --f
  [ "$output" = --format ] || die "pod info --f<TAB> gave '$output'"
  run complete_words pod --root /some/dir inf
  [ "$output" = info ] || die "the value of --root was taken for a verb: '$output'"
  run complete_words pod image l
  [ "$output" = ls ] || die "pod image l<TAB> gave '$output'"
}

@test "every declared verb is in the completion and the man page" {
  run_pod __cli-json
  local verbs man="$POD_PREFIX/share/man/man1/pod.1"
  # Top-level verbs: the names at the first nesting level of "subcommands".
  verbs=$(grep -o '^    {\|^      "name": "[a-z-]*"' <<<"$output" | grep -o '"[a-z-]*"$' | tr -d '"')
  [ -n "$verbs" ] || die "no verbs in the declaration"
  [ -f "$man" ] || die "missing $man"
  local verb
  for verb in $verbs; do
    grep -q "^    $verb) words=" "$(completion_file)" || die "verb $verb missing from the completion"
    grep -q "^\.SS pod $verb\$" "$man" || die "verb $verb missing from the man page"
  done
}

@test "the man page is well-formed roff" {
  local man="$POD_PREFIX/share/man/man1/pod.1"
  head -1 "$man" | grep -q '^\.TH pod 1 ' || die "no .TH header"
  grep -q '^\.SH SYNOPSIS' "$man"
  grep -q '\\-\\-log\\-level' "$man" || die "global flags missing"
  if command -v groff >/dev/null; then
    run groff -man -Tutf8 -ww "$man"
    [ "$status" -eq 0 ] || die "groff: $output"
  fi
}
