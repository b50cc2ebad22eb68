#!/usr/bin/env bats
# pod-runtime and the rest of config.json: hooks, seccomp, sysctl; --log; features; and the
# configurations it must refuse, each with a clear error and nothing left behind.

load helpers
load runtime

# A hook that appends its name and the state it was given on stdin to $BATS_TEST_TMPDIR/hooks.
hook() { # NAME
  jq -n --arg name "$1" --arg log "$BATS_TEST_TMPDIR/hooks" \
    '{path: "/bin/sh", args: ["sh", "-c", ("echo " + $name + " $(cat) >> " + $log)]}'
}

@test "hooks: each kind runs at its point with the state on stdin; a failing one undoes create" {
  make_bundle "$BATS_TEST_TMPDIR/b" 'echo main-ran'
  edit_bundle "$BATS_TEST_TMPDIR/b" '.hooks = {createRuntime: [$cr], createContainer: [$cc],
      startContainer: [{path: "/bin/sh", args: ["sh", "-c", "echo startContainer-in-container >&2"]}],
      poststart: [$ps], poststop: [$pst]}' \
    --argjson cr "$(hook createRuntime)" --argjson cc "$(hook createContainer)" \
    --argjson ps "$(hook poststart)" --argjson pst "$(hook poststop)"
  RT run -b "$BATS_TEST_TMPDIR/b" h1
  assert_contains "$output" main-ran
  assert_contains "$output" startContainer-in-container
  cat "$BATS_TEST_TMPDIR/hooks"
  [ "$(cut -d' ' -f1 "$BATS_TEST_TMPDIR/hooks" | tr '\n' ' ')" = "createRuntime createContainer poststart poststop " ] ||
    die "hooks ran out of order"
  grep '^createRuntime' "$BATS_TEST_TMPDIR/hooks" | grep -q '"status": "creating"' || die "createRuntime got no state"
  grep '^createRuntime' "$BATS_TEST_TMPDIR/hooks" | grep -q '"id": "h1"' || die "createRuntime got no id"
  grep '^poststop' "$BATS_TEST_TMPDIR/hooks" | grep -q '"status": "stopped"' || die "poststop got no state"

  edit_bundle "$BATS_TEST_TMPDIR/b" '.hooks = {createRuntime: [{path: "/bin/false"}]}'
  RT_create 1 -b "$BATS_TEST_TMPDIR/b" h2
  assert_contains "$output" 'createRuntime hook `/bin/false`: exit code 1'
  [ -z "$(ls "$BATS_TEST_TMPDIR/state" 2>/dev/null)" ] || die "state left after a failed hook"
  edit_bundle "$BATS_TEST_TMPDIR/b" '.hooks = {createRuntime: [{path: "/bin/sleep", args: ["sleep", "30"], timeout: 1}]}'
  RT_create 1 -b "$BATS_TEST_TMPDIR/b" h3
  assert_contains "$output" "timed out after 1 s"
}

@test "seccomp: a rule's errno reaches the program; the rest is allowed; NOTIFY is refused" {
  make_bundle "$BATS_TEST_TMPDIR/b" 'grep Seccomp: /proc/self/status; mkdir /tmp/x; echo mkdir=$?; echo still-running'
  edit_bundle "$BATS_TEST_TMPDIR/b" '.root.readonly = false | .linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
      architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
      syscalls: [{names: ["mkdir", "mkdirat", "no_such_syscall_in_any_kernel"], action: "SCMP_ACT_ERRNO", errnoRet: 13}]}'
  RT run -b "$BATS_TEST_TMPDIR/b" s1
  assert_contains "$output" "Seccomp:	2"
  assert_contains "$output" "Permission denied"
  assert_contains "$output" "mkdir=1"
  assert_contains "$output" "still-running"
  edit_bundle "$BATS_TEST_TMPDIR/b" '.linux.seccomp.syscalls[0].action = "SCMP_ACT_NOTIFY"'
  RT_create 1 -b "$BATS_TEST_TMPDIR/b" s2
  assert_contains "$output" "SCMP_ACT_NOTIFY"
}

@test "sysctl: namespaced keys are set inside; a host-wide key is refused" {
  make_bundle "$BATS_TEST_TMPDIR/b" 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni'
  edit_bundle "$BATS_TEST_TMPDIR/b" '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.shmmni": "1234"}'
  RT run -b "$BATS_TEST_TMPDIR/b" y1
  [ "${lines[-2]}" = 1 ] && [ "${lines[-1]}" = 1234 ] || die "sysctls not applied"
  edit_bundle "$BATS_TEST_TMPDIR/b" '.linux.sysctl = {"vm.swappiness": "10"}'
  RT_create 1 -b "$BATS_TEST_TMPDIR/b" y2
  assert_contains "$output" '`vm.swappiness` is not namespaced'
}

@test "--log --log-format json records the error for an engine to read; features is JSON" {
  mkdir -p "$BATS_TEST_TMPDIR/nothing"
  RT 1 --log "$BATS_TEST_TMPDIR/log.json" --log-format json create -b "$BATS_TEST_TMPDIR/nothing" l1
  jq -e 'select(.level == "error") | .msg | contains("config.json")' "$BATS_TEST_TMPDIR/log.json"
  RT features
  echo "$output" | jq -e '.ociVersionMax == "1.0.2" and .linux.seccomp.enabled and (.hooks | index("createRuntime"))'
  echo "$output" | jq -e '.linux.namespaces | index("user") and index("time")'
}

@test "bad input: unknown namespace, wrong types, unmappable ids — clear errors, nothing left" {
  make_bundle "$BATS_TEST_TMPDIR/b" 'true'
  cp "$BATS_TEST_TMPDIR/b/config.json" "$BATS_TEST_TMPDIR/good.json"
  edit_bundle "$BATS_TEST_TMPDIR/b" '.linux.namespaces += [{type: "teleport"}]'
  RT_create 1 -b "$BATS_TEST_TMPDIR/b" n1
  assert_contains "$output" "teleport"
  cp "$BATS_TEST_TMPDIR/good.json" "$BATS_TEST_TMPDIR/b/config.json"
  edit_bundle "$BATS_TEST_TMPDIR/b" '.process.user.uid = "root"'
  RT_create 1 -b "$BATS_TEST_TMPDIR/b" n2
  assert_contains "$output" "process.user.uid"
  if [ "$(id -u)" -ne 0 ]; then
    # Host ids 0-9 are not the user's to map: newuidmap refuses, the error says so.
    cp "$BATS_TEST_TMPDIR/good.json" "$BATS_TEST_TMPDIR/b/config.json"
    edit_bundle "$BATS_TEST_TMPDIR/b" '.linux.uidMappings = [{containerID: 0, hostID: 0, size: 10}]'
    RT_create 1 -b "$BATS_TEST_TMPDIR/b" n3
    assert_contains "$output" "newuidmap"
  fi
  [ -z "$(ls "$BATS_TEST_TMPDIR/state" 2>/dev/null)" ] || die "state left behind: $(ls "$BATS_TEST_TMPDIR/state")"
  ! grep -q "$BATS_TEST_TMPDIR" /proc/self/mountinfo || die "mounts left behind"
}
