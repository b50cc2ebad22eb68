#!/usr/bin/env bats
# pod unshare: the rootless user namespace every store command runs in.

load helpers

@test "inside, the user is root and owns its whole subordinate range" {
  requires rootless
  run_pod unshare cat /proc/self/uid_map /proc/self/gid_map
  if [ "$POD_TEST_AS" = user-noids ]; then
    assert_contains "$output" "0       $(id -u)          1"
  else
    local start
    start=$(awk -F: -v u="$(id -un)" '$1==u {print $2; exit}' /etc/subuid)
    assert_contains "$output" "0       $(id -u)          1"
    assert_contains "$output" "1     $start      65536"
  fi
  run_pod unshare id -u
  [ "${lines[-1]}" = 0 ] || die "expected uid 0 inside, got ${lines[-1]}"
}

@test "the single-id fallback is warned about once per session, with the fix" {
  requires rootless
  [ "$POD_TEST_AS" = user-noids ] || skip "for a user without subordinate ids"
  export XDG_RUNTIME_DIR="$BATS_TEST_TMPDIR/session"
  mkdir -m 0700 "$XDG_RUNTIME_DIR"
  run_pod unshare true
  assert_contains "$output" "no subordinate ids for user \`$(id -un)\`"
  assert_contains "$output" "fix: sudo usermod --add-subuids"
  run_pod unshare true
  [ -z "$output" ] || die "warned again: $output"
}

@test "a file chowned inside to a mapped id belongs to the subordinate id outside" {
  requires rootless
  [ "$POD_TEST_AS" = user-noids ] && skip "needs subordinate ids"
  local f="$BATS_TEST_TMPDIR/owned"
  run_pod unshare sh -c "touch '$f' && chown 1000:1000 '$f'"
  local start
  start=$(awk -F: -v u="$(id -un)" '$1==u {print $2; exit}' /etc/subuid)
  [ "$(stat -c %u "$f")" -eq $((start + 999)) ] || die "owner outside is $(stat -c %u "$f"), expected $((start + 999))"
  run_pod unshare rm -f "$f"
}

@test "the command's exit code comes back; a missing command is 127" {
  run_pod 7 unshare sh -c 'exit 7'
  run_pod 127 unshare /nonexistent/command
  assert_contains "$output" 'run `/nonexistent/command`'
  run_pod 126 unshare /etc/passwd
}

@test "flags after the command belong to the command" {
  run_pod unshare sh -c 'echo "$1"' _ --format
  assert_contains "$output" "--format"
}

@test "a signal that ends the command ends pod the same way" {
  run_pod '?' unshare sh -c 'kill -TERM $$'
  [ "$status" -eq 143 ] || die "expected 143 (SIGTERM), got $status"
}
