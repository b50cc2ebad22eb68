#!/usr/bin/env bats
# pod-runtime exec, and terminals: the pty made in the container and its master sent over
# --console-socket (SCM_RIGHTS) as crun and runc do, or relayed by `run` itself.

load helpers
load runtime

# A running container whose init sleeps.
start_sleeper() { # ID
  make_bundle "$BATS_TEST_TMPDIR/$1" 'sleep 100'
  RT_create -b "$BATS_TEST_TMPDIR/$1" "$1"
  RT start "$1"
}

@test "exec joins every namespace of the container and returns the process's exit code" {
  start_sleeper e1
  RT 7 exec e1 sh -c 'for n in pid mnt uts ipc net user cgroup; do
      [ "$(readlink /proc/1/ns/$n)" = "$(readlink /proc/self/ns/$n)" ] || echo "not in the $n namespace"
    done; echo pid=$$; hostname; cat /proc/1/cmdline; echo; exit 7'
  [[ "$output" != *"not in the"* ]] || die "exec missed a namespace"
  [[ "$output" != *"pid=1"* ]] || die "the exec'd process is pid 1"
  assert_contains "$output" "sleep100"
  assert_contains "$output" "pod"
  RT kill e1 KILL
}

@test "exec: --cwd, --env, --user, --process; exec into a stopped container is refused" {
  start_sleeper e2
  RT exec --cwd /etc -e GREETING=hello e2 sh -c 'pwd; echo $GREETING; id -u'
  assert_contains "$output" "/etc"
  assert_contains "$output" "hello"
  [ "${lines[-1]}" = 0 ]
  if [ "$(id -u)" -eq 0 ]; then
    RT exec --user 1000:1000 e2 id
    assert_contains "$output" "uid=1000"; assert_contains "$output" "gid=1000"
  else
    # The rootless bundle maps only root: another uid is a clear error, not EINVAL.
    RT 1 exec --user 1000 e2 id
    assert_contains "$output" "1000 is not mapped in the container's user namespace"
  fi
  cat >"$BATS_TEST_TMPDIR/process.json" <<'JSON'
{"args": ["sh", "-c", "echo from-process-file; pwd"], "cwd": "/tmp", "env": ["PATH=/bin"], "user": {"uid": 0, "gid": 0}}
JSON
  RT exec --process "$BATS_TEST_TMPDIR/process.json" e2
  assert_contains "$output" "from-process-file"
  assert_contains "$output" "/tmp"
  RT 127 exec e2 no-such-program
  assert_contains "$output" 'executable file `no-such-program` not found in $PATH'
  # Its stdout must not be bats's pipe, or bats waits for the detached process.
  "$RUNTIME" --root "$BATS_TEST_TMPDIR/state" exec -d --pid-file "$BATS_TEST_TMPDIR/exec.pid" e2 sleep 50 >/dev/null 2>&1
  kill -0 "$(cat "$BATS_TEST_TMPDIR/exec.pid")" || die "the detached process is not running"
  RT kill e2 KILL
  wait_status e2 stopped
  RT 1 exec e2 true
  assert_contains "$output" "is stopped"
}

@test "a tty session through --console-socket: create sends the master, the session works" {
  make_bundle "$BATS_TEST_TMPDIR/t" 'tty; stty size; read line; echo "got:$line"; exit 5'
  edit_bundle "$BATS_TEST_TMPDIR/t" '.process.terminal = true | .process.consoleSize = {height: 30, width: 100}'
  local sock="$BATS_TEST_TMPDIR/console.sock"
  (sleep 1; echo typed-line) | timeout 30 "$POD_LIBEXEC/tests/pod-test-console-receiver" "$sock" \
    >"$BATS_TEST_TMPDIR/tty.out" 2>"$BATS_TEST_TMPDIR/tty.err" &
  local receiver=$!
  for _ in $(seq 1 50); do [ -S "$sock" ] && break; sleep 0.1; done
  RT_create -b "$BATS_TEST_TMPDIR/t" --console-socket "$sock" t1
  RT start t1
  wait "$receiver" || die "the receiver failed: $(cat "$BATS_TEST_TMPDIR/tty.err")"
  cat "$BATS_TEST_TMPDIR/tty.out"
  assert_contains "$(cat "$BATS_TEST_TMPDIR/tty.err")" "master: /dev/pts/"
  assert_contains "$(cat "$BATS_TEST_TMPDIR/tty.out")" "/dev/pts/0"
  assert_contains "$(cat "$BATS_TEST_TMPDIR/tty.out")" "30 100"
  assert_contains "$(cat "$BATS_TEST_TMPDIR/tty.out")" "got:typed-line"
  wait_status t1 stopped
  RT delete t1
}

@test "a terminal without --console-socket: create refuses, run relays the pty itself" {
  make_bundle "$BATS_TEST_TMPDIR/t" 'tty; read line; echo "got:$line"; exit 5'
  edit_bundle "$BATS_TEST_TMPDIR/t" '.process.terminal = true'
  RT_create 1 -b "$BATS_TEST_TMPDIR/t" t2
  assert_contains "$output" "--console-socket is needed"
  [ -z "$(ls "$BATS_TEST_TMPDIR/state" 2>/dev/null)" ] || die "state left behind"
  # `script` gives run a real terminal on stdin and stdout.
  run -5 timeout 60 script -qec "$RUNTIME --root $BATS_TEST_TMPDIR/state run -b $BATS_TEST_TMPDIR/t t3" /dev/null <<<"typed"
  echo "$output"
  assert_contains "$output" "/dev/pts/0"
  assert_contains "$output" "got:typed"
}

@test "exec --tty through a console socket" {
  start_sleeper e3
  local sock="$BATS_TEST_TMPDIR/exec.sock"
  (sleep 1; echo exec-typed) | timeout 30 "$POD_LIBEXEC/tests/pod-test-console-receiver" "$sock" \
    >"$BATS_TEST_TMPDIR/tty.out" 2>"$BATS_TEST_TMPDIR/tty.err" &
  local receiver=$!
  for _ in $(seq 1 50); do [ -S "$sock" ] && break; sleep 0.1; done
  RT exec -t --console-socket "$sock" e3 sh -c 'tty; read l; echo "exec-got:$l"'
  wait "$receiver" || die "the receiver failed: $(cat "$BATS_TEST_TMPDIR/tty.err")"
  assert_contains "$(cat "$BATS_TEST_TMPDIR/tty.out")" "/dev/pts/"
  assert_contains "$(cat "$BATS_TEST_TMPDIR/tty.out")" "exec-got:exec-typed"
  RT kill e3 KILL
}
