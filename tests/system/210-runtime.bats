#!/usr/bin/env bats
# pod-runtime, the OCI runtime: bundles made from the busybox test image, as the test user.

load helpers

# create leaves the container's process holding create's stdio (as runc does): give it files,
# not bats's output pipe, or bats waits for the container to end.
RT_create() { # [expected_rc] args...
  local expected=0
  case ${1:-} in
    [0-9]*) expected=$1; shift ;;
  esac
  local rc=0
  "$POD_LIBEXEC/pod-runtime" --root "$BATS_TEST_TMPDIR/state" create "$@" </dev/null >"$BATS_TEST_TMPDIR/create.out" 2>&1 || rc=$?
  output=$(cat "$BATS_TEST_TMPDIR/create.out")
  echo "$output"
  [ "$rc" -eq "$expected" ] || die "create exited $rc, expected $expected"
}

RT() {
  local expected=()
  case ${1:-} in
    [0-9]* | '?') expected=("$1"); shift ;;
  esac
  run_tool "$POD_LIBEXEC/pod-runtime" "${expected[@]}" --root "$BATS_TEST_TMPDIR/state" "$@"
}

# make_bundle DIR SCRIPT — a rootless bundle whose process is `sh -c SCRIPT` (no " or \ in it).
make_bundle() {
  local dir=$1 script=$2 blob
  mkdir -p "$dir/rootfs"
  blob=$(sed -n 1p "$POD_TEST_IMAGES/busybox/push-plan" | cut -d: -f2)
  tar -xzf "$POD_TEST_IMAGES/busybox/blobs/sha256/$blob" -C "$dir/rootfs" 2>/dev/null || true
  (cd "$dir" && "$POD_LIBEXEC/pod-runtime" spec --rootless)
  sed -i 's/"terminal": true/"terminal": false/' "$dir/config.json"
  awk -v script="$script" '/^ *"sh"$/ { print "\"sh\", \"-c\", \"" script "\""; next } { print }' \
    "$dir/config.json" >"$dir/config.json.new" && mv "$dir/config.json.new" "$dir/config.json"
}

setup() { requires rootless; }

@test "run: pid 1, own hostname, root inside is the user outside, exit code comes back" {
  make_bundle "$BATS_TEST_TMPDIR/b" 'echo pid=$$; hostname; cat /proc/self/uid_map; ls /proc | grep -c [0-9]; exit 3'
  RT 3 run -b "$BATS_TEST_TMPDIR/b" c1
  assert_contains "$output" "pid=1"
  assert_contains "$output" "pod"
  assert_contains "$output" "0       $(id -u)          1"
  [ "${lines[-1]}" -le 3 ] || die "more than the container's processes are visible: ${lines[-1]}"
}

@test "run: capabilities, no_new_privs and rlimits as the spec asks" {
  make_bundle "$BATS_TEST_TMPDIR/b" 'grep CapEff /proc/self/status; grep NoNewPrivs /proc/self/status; ulimit -n'
  RT run -b "$BATS_TEST_TMPDIR/b" c2
  assert_contains "$output" "CapEff:	0000000020000420"
  assert_contains "$output" "NoNewPrivs:	1"
  [ "${lines[-1]}" = 1024 ] || die "RLIMIT_NOFILE is ${lines[-1]}"
}

@test "run: masked paths are unreadable, read-only paths read-only" {
  make_bundle "$BATS_TEST_TMPDIR/b" 'cat /proc/timer_list | wc -c; echo 1 > /proc/sys/kernel/domainname && echo wrote || echo refused'
  RT run -b "$BATS_TEST_TMPDIR/b" c3
  [ "${lines[0]}" = 0 ] || die "/proc/timer_list gave ${lines[0]} bytes"
  assert_contains "$output" refused
}

@test "create parks the process; state, start, kill, delete follow the runtime spec" {
  make_bundle "$BATS_TEST_TMPDIR/b" 'sleep 60'
  RT_create -b "$BATS_TEST_TMPDIR/b" --pid-file "$BATS_TEST_TMPDIR/pid" c4
  RT state c4
  assert_contains "$output" '"status": "created"'
  assert_contains "$output" "\"pid\": $(cat "$BATS_TEST_TMPDIR/pid")"
  RT start c4
  RT state c4
  assert_contains "$output" '"status": "running"'
  RT list
  assert_contains "$output" c4
  RT 1 delete c4
  assert_contains "$output" "use --force"
  RT kill c4 KILL
  local i
  for i in $(seq 1 50); do
    RT state c4
    [[ "$output" == *'"status": "stopped"'* ]] && break
    sleep 0.1
  done
  assert_contains "$output" '"status": "stopped"'
  RT delete c4
  RT 1 state c4
  assert_contains "$output" 'container `c4` does not exist'
  [ ! -e "$BATS_TEST_TMPDIR/state/c4" ] || die "state left behind"
}

@test "bad input: malformed config, missing rootfs, duplicate id, start of a stopped container" {
  mkdir -p "$BATS_TEST_TMPDIR/bad"
  echo '{"ociVersion": "1.0.0", "root": {"path": "rootfs"}, "process": {' >"$BATS_TEST_TMPDIR/bad/config.json"
  RT_create 1 -b "$BATS_TEST_TMPDIR/bad" x1
  assert_contains "$output" "malformed JSON"
  make_bundle "$BATS_TEST_TMPDIR/b" 'true'
  rm -rf "$BATS_TEST_TMPDIR/b/rootfs"
  RT_create 1 -b "$BATS_TEST_TMPDIR/b" x2
  assert_contains "$output" "is not a directory"
  [ -z "$(ls "$BATS_TEST_TMPDIR/state" 2>/dev/null)" ] || die "state left after failed creates"
  make_bundle "$BATS_TEST_TMPDIR/c" 'true'
  RT_create -b "$BATS_TEST_TMPDIR/c" x3
  RT_create 1 -b "$BATS_TEST_TMPDIR/c" x3
  assert_contains "$output" 'container `x3` already exists'
  RT start x3
  sleep 0.5
  RT 1 start x3
  assert_contains "$output" "not created"
  RT delete -f x3
}
