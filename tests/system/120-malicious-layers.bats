#!/usr/bin/env bats
# Hostile layers from a real registry: nothing they name may be written outside the layer.
# Each image is made with pod-test-mkimage (it writes tar names verbatim), pushed to a
# registry of this file's own and pulled.

load helpers

TLS=--tls-verify=false

setup_file() {
  export XDG_DATA_HOME="$BATS_FILE_TMPDIR/data"
  mkdir -p "$XDG_DATA_HOME"
  source "$POD_TESTS/support/registry.bash"
  registry_start "$BATS_FILE_TMPDIR/registry"
  export EVIL_REGISTRY="127.0.0.1:$REGISTRY_PORT" EVIL_REGISTRY_PID=$REGISTRY_PID
  # The outside world the layers aim at: must stay empty.
  export OUTSIDE="$BATS_FILE_TMPDIR/outside"
  mkdir -p "$OUTSIDE"
}

teardown_file() {
  source "$POD_TESTS/support/registry.bash"
  registry_stop "$EVIL_REGISTRY_PID"
}

# push_evil NAME ENTRY... — one layer of the given spec lines.
push_evil() {
  local name=$1
  shift
  { printf 'format oci\ncompression gzip\nlayer evil\n'; printf '%s\n' "$@"; } >"$BATS_TEST_TMPDIR/$name.spec"
  "$POD_LIBEXEC/tests/pod-test-mkimage" "$BATS_TEST_TMPDIR/$name" "$BATS_TEST_TMPDIR/$name.spec" >/dev/null
  "$POD_TESTS/support/push-layout" "$BATS_TEST_TMPDIR/$name" "$EVIL_REGISTRY" "evil/$name"
}

assert_outside_untouched() {
  [ -z "$(ls -A "$OUTSIDE")" ] || die "written outside the layer: $(ls -A "$OUTSIDE")"
  [ ! -e "$BATS_FILE_TMPDIR/escaped" ] || die "written next to the store"
}

up="../../../../../../../../../.."

@test "a .. name is refused, naming the entry" {
  push_evil dotdot "file $up$BATS_FILE_TMPDIR/escaped 0644 0 0 text:x"
  run_pod 125 pull $TLS "$EVIL_REGISTRY/evil/dotdot"
  assert_contains "$output" "is outside of the layer"
  assert_outside_untouched
}

@test "an absolute name lands inside the layer" {
  push_evil absolute "file $OUTSIDE/abs 0644 0 0 text:x"
  run_pod pull -q $TLS "$EVIL_REGISTRY/evil/absolute"
  assert_outside_untouched
  [ -n "$(find "$XDG_DATA_HOME/pod/layers" -path "*$OUTSIDE/abs")" ] || die "the entry is not inside the layer"
}

@test "a file under a symlink to outside stays inside" {
  push_evil symlink "symlink link $OUTSIDE" "file link/through-symlink 0644 0 0 text:x" \
    "symlink up $up$OUTSIDE" "file up/through-dotdot-symlink 0644 0 0 text:x"
  run_pod '?' pull $TLS "$EVIL_REGISTRY/evil/symlink"
  assert_outside_untouched
}

@test "a hardlink to a file outside is refused" {
  echo secret >"$BATS_FILE_TMPDIR/secret"
  push_evil hardlink "hardlink stolen $up$BATS_FILE_TMPDIR/secret"
  run_pod 125 pull $TLS "$EVIL_REGISTRY/evil/hardlink"
  assert_contains "$output" "stolen"
  [ "$(stat -c %h "$BATS_FILE_TMPDIR/secret")" -eq 1 ] || die "the outside file got a second link"
  assert_outside_untouched
}

@test "a refused layer leaves no image and no half layer" {
  push_evil again "file $up$BATS_FILE_TMPDIR/escaped 0644 0 0 text:x"
  run_pod images -q
  local images=$output
  run_pod 125 pull $TLS "$EVIL_REGISTRY/evil/again"
  run_pod images -q
  [ "$output" = "$images" ] || die "images changed: $output"
  [ -z "$(find "$XDG_DATA_HOME/pod/layers" -maxdepth 1 -name '.tmp-*')" ] || die "temp layer left"
}
