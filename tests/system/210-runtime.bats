#!/usr/bin/env bats
# pod-runtime, the OCI runtime: lifecycle and the container's view of itself, on bundles made
# from the busybox test image; as the test user and as root.

load helpers
load runtime

@test "run: pid 1, own hostname, root inside is the user outside, exit code comes back" {
  make_bundle "$BATS_TEST_TMPDIR/b" 'echo pid=$$; hostname; cat /proc/self/uid_map; ls /proc | grep -c [0-9]; exit 3'
  RT 3 run -b "$BATS_TEST_TMPDIR/b" c1
  assert_contains "$output" "pid=1"
  assert_contains "$output" "pod"
  assert_contains "$output" "$(expected_root_map)"
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

@test "run: a file made by root inside a bind mount belongs to the user outside" {
  mkdir "$BATS_TEST_TMPDIR/shared"
  make_bundle "$BATS_TEST_TMPDIR/b" 'touch /shared/made-inside && stat -c %u /shared/made-inside'
  edit_bundle "$BATS_TEST_TMPDIR/b" '.mounts += [{destination: "/shared", type: "bind", source: $src, options: ["rbind", "rw"]}]' \
    --arg src "$BATS_TEST_TMPDIR/shared"
  RT run -b "$BATS_TEST_TMPDIR/b" c5
  [ "${lines[-1]}" = 0 ] || die "owner inside is ${lines[-1]}, not root"
  [ "$(stat -c %u "$BATS_TEST_TMPDIR/shared/made-inside")" = "$(id -u)" ] || die "owner outside is not $(id -u)"
}

@test "run: no descriptor of the runtime or its caller leaks into the container" {
  make_bundle "$BATS_TEST_TMPDIR/b" 'ls /proc/self/fd | tr "\n" " "'
  RT run -b "$BATS_TEST_TMPDIR/b" c6 7>"$BATS_TEST_TMPDIR/extra"
  # 0 1 2 and ls's own directory fd
  [ "${lines[-1]}" = "0 1 2 3 " ] || die "open fds inside: ${lines[-1]}"
  RT run --preserve-fds 5 -b "$BATS_TEST_TMPDIR/b" c7 7>"$BATS_TEST_TMPDIR/extra"
  assert_contains "${lines[-1]}" " 7 "
}

@test "kill: each signal reaches the init, numbers and names; kill --all reaches every process" {
  make_bundle "$BATS_TEST_TMPDIR/b" 'for s in HUP INT QUIT USR1 USR2 TERM; do trap "echo got $s" $s; done; echo ready; while :; do sleep 0.1; done'
  RT_create -b "$BATS_TEST_TMPDIR/b" k1
  RT start k1
  local sig
  for sig in HUP SIGINT QUIT 10 USR2 15; do
    RT kill k1 "$sig"
    sleep 0.3
  done
  for sig in HUP INT QUIT USR1 USR2 TERM; do
    grep -q "got $sig" "$BATS_TEST_TMPDIR/create.out" || die "the init did not get $sig: $(cat "$BATS_TEST_TMPDIR/create.out")"
  done
  RT 1 kill k1 NOSUCHSIG
  assert_contains "$output" NOSUCHSIG
  RT kill k1 KILL
  wait_status k1 stopped
  RT delete k1

  # The init (pid 1) ignores TERM; its children do not: --all ends them, then the init's wait.
  make_bundle "$BATS_TEST_TMPDIR/b2" 'sleep 100 & sleep 100 & wait; echo children-gone'
  RT_create -b "$BATS_TEST_TMPDIR/b2" k2
  RT start k2
  sleep 0.3
  RT kill --all k2 TERM
  wait_status k2 stopped
  RT delete k2
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
  wait_status c4 stopped
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
