#!/usr/bin/env bats
# The pod CLI's contract: version, info, exit codes and messages, the helpers that have not
# landed yet, and the CLI declaration the completions are generated from.

load helpers

@test "pod version prints the version, also as JSON" {
  run_pod version
  assert_contains "$output" "Version:"
  assert_contains "$output" "OS/Arch:      linux/"
  run_pod version --format json
  assert_contains "$output" '"Version": "'
}

@test "pod info reports rootless mode, the id map and the store" {
  run_pod info --format json
  if [ "$(id -u)" -eq 0 ]; then
    assert_contains "$output" '"rootless": false'
    run_tool "$POD_BIN/pod" info --format json
    assert_contains "$output" '"graphRoot": "/var/lib/pod"'
  else
    assert_contains "$output" '"rootless": true'
    assert_contains "$output" "\"graphRoot\": \"$XDG_DATA_HOME/pod\""
    [ "$POD_TEST_AS" = user-noids ] && return 0
    local start
    start=$(awk -F: -v u="$(id -un)" '$1==u {print $2; exit}' /etc/subuid)
    [ -n "$start" ] || die "the test user has no /etc/subuid range"
    assert_contains "$output" "\"host_id\": $start"
  fi
  run_pod info
  assert_contains "$output" "graphRoot:"
}

@test "pod info warns with the fix when the user has no subordinate ids" {
  requires rootless
  if [ "$POD_TEST_AS" = user-noids ]; then
    run_pod info --format json
    assert_contains "$output" "no subordinate ids for user \`$(id -un)\` in /etc/subuid"
    assert_contains "$output" "fix: sudo usermod --add-subuids"
    assert_contains "$output" "\"host_id\": $(id -u)"
  else
    run_pod info --format json
    assert_contains "$output" '"warnings": []'
  fi
}

@test "--root and --runroot override the store paths" {
  run_tool "$POD_BIN/pod" --root "$BATS_TEST_TMPDIR/r" --runroot "$BATS_TEST_TMPDIR/rr" info --format json
  assert_contains "$output" "\"graphRoot\": \"$BATS_TEST_TMPDIR/r\""
  assert_contains "$output" "\"runRoot\": \"$BATS_TEST_TMPDIR/rr\""
}

@test "an unknown verb is exit 125 with podman's message" {
  run_pod 125 frobnicate
  assert_contains "$output" 'Error: unrecognized command `pod frobnicate`'
}

@test "a bad flag value is exit 125 and names the flag" {
  run_pod 125 --log-level loud info
  assert_contains "$output" 'unknown log level `loud`'
  run_pod 125 version --format yaml
  assert_contains "$output" 'unsupported --format `yaml`'
}

@test "pod build and pod copy reach their helpers, which say what they do" {
  run_pod build --help
  assert_contains "$output" "build an image from a Containerfile"
  run_pod copy --help
  assert_contains "$output" "pod-copy"
}

@test "the CLI declaration is printable for the completion generators" {
  run_pod __cli-json
  assert_contains "$output" '"name": "version"'
  assert_contains "$output" '"name": "info"'
  assert_contains "$output" '"--log-level"'
}
