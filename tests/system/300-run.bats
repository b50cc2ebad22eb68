#!/usr/bin/env bats
# pod run and the container lifecycle, with pod-monitor: as the test user (and as root).

load helpers

setup_file() { setup_container_file; }
teardown() { remove_all_containers; }

containers_dir() { echo "$XDG_DATA_HOME/pod/containers"; }

@test "run: output, exit code, pid 1, own hostname; --rm leaves nothing behind" {
  run_pod 3 run --rm --hostname box "$IMAGE" sh -c 'echo hello; echo pid=$$; hostname; exit 3'
  assert_contains "$output" "hello"
  assert_contains "$output" "pid=1"
  assert_contains "$output" "box"
  [ -z "$(ls "$(containers_dir)" 2>/dev/null)" ] || die "left behind: $(ls "$(containers_dir)")"
  run_pod ps -a -q
  [ -z "$output" ] || die "ps -a still lists: $output"
}

@test "detached: run -d, logs, exec, ps, inspect, stop, start, wait, rm" {
  run_pod run -d --name web "$IMAGE" sh -c 'echo started; trap "echo bye; exit 7" TERM; while :; do sleep 0.1; done'
  local id=${lines[-1]}
  [[ "$id" =~ ^[0-9a-f]{64}$ ]] || die "run -d printed $id"
  sleep 0.5
  run_pod logs web
  assert_contains "$output" "started"
  run_pod exec web sh -c 'echo in-exec; cat /proc/1/cmdline | tr "\0" " "'
  assert_contains "$output" "in-exec"
  assert_contains "$output" "sh -c echo started"
  run_pod ps
  assert_contains "$output" "web"
  assert_contains "$output" "Up "
  run_pod ps --format json
  echo "$output" | jq -e '.[0].State == "running" and .[0].Names[0] == "web"'
  run_pod inspect web
  echo "$output" | jq -e '.[0].State.Running and (.[0].State.Pid > 0) and .[0].Name == "web"'
  run_pod stop web
  run_pod inspect web
  echo "$output" | jq -e '.[0].State.Status == "exited" and .[0].State.ExitCode == 7'
  run_pod logs web
  assert_contains "$output" "bye"
  run_pod start web
  run_pod ps -q --no-trunc
  assert_contains "$output" "$id"
  run_pod kill -s TERM web
  run_pod wait web
  [ "${lines[-1]}" = 7 ] || die "wait printed ${lines[-1]}"
  run_pod rm web
  run_pod ps -a -q
  [ -z "$output" ] || die "still listed: $output"
}

@test "run -it through a real terminal: a pty inside, input reaches it, exit code comes back" {
  run -5 timeout 60 script -qec "$POD_BIN/pod $(pod_store_args) run -it --rm $IMAGE sh -c 'tty; read x; echo got:\$x; exit 5'" /dev/null <<<"typed"
  echo "$output"
  assert_contains "$output" "/dev/pts/0"
  assert_contains "$output" "got:typed"
}

@test "run -it: Ctrl-C reaches the container through its terminal" {
  run -4 timeout 60 script -qec "$POD_BIN/pod $(pod_store_args) run -it --rm $IMAGE sh -c 'trap \"echo got-INT; exit 4\" INT; echo ready; while :; do sleep 0.1; done'" /dev/null \
    < <(sleep 2; printf '\003'; sleep 5)
  echo "$output"
  assert_contains "$output" "got-INT"
}

@test "run -it: the terminal's size reaches the container's pty" {
  run timeout 60 script -qec "stty rows 33 cols 101; $POD_BIN/pod $(pod_store_args) run -it --rm $IMAGE stty size" /dev/null <<<""
  echo "$output"
  assert_contains "$output" "33 101"
}

@test "run -i: stdin reaches the container; without -i it gets none" {
  run_pod run --rm -i "$IMAGE" sh -c 'read x; echo got:$x' <<<"piped"
  assert_contains "$output" "got:piped"
  run_pod run --rm "$IMAGE" sh -c 'read x || echo no-input' <<<"piped"
  assert_contains "$output" "no-input"
}

@test "sig-proxy: a signal to pod run in the foreground reaches the container" {
  # The binary itself, not the pod() function: $! must be pod's pid.
  "$POD_BIN/pod" $(pod_store_args) run --rm "$IMAGE" sh -c 'trap "echo got-TERM; exit 9" TERM; echo ready; while :; do sleep 0.1; done' \
    >"$BATS_TEST_TMPDIR/out" 2>&1 &
  local runner=$!
  local i
  for i in $(seq 1 50); do grep -q ready "$BATS_TEST_TMPDIR/out" && break; sleep 0.1; done
  kill -TERM "$runner"
  local rc=0
  wait "$runner" || rc=$?
  cat "$BATS_TEST_TMPDIR/out"
  [ "$rc" -eq 9 ] || die "pod run exited $rc, not the container's 9"
  grep -q got-TERM "$BATS_TEST_TMPDIR/out" || die "the container did not get SIGTERM"
}

@test "exit codes: 125 for pod's errors, 126 cannot invoke, 127 not found" {
  run_pod 127 run --rm "$IMAGE" no-such-command
  assert_contains "$output" "no-such-command"
  run_pod 126 run --rm "$IMAGE" /etc/passwd
  run_pod 125 run --rm "$IMAGE:no-such-tag" true
  run_pod 125 run --rm --no-such-flag "$IMAGE" true
  [ -z "$(ls "$(containers_dir)" 2>/dev/null)" ] || die "left behind: $(ls "$(containers_dir)")"
}

@test "flags: env, env-file, workdir, user, entrypoint, label, cidfile, read-only, tmpfs, caps, no-new-privileges" {
  echo "FROM_FILE=yes" >"$BATS_TEST_TMPDIR/env"
  run_pod run --rm -e A=1 -e B=two --env-file "$BATS_TEST_TMPDIR/env" -w /tmp "$IMAGE" sh -c 'echo $A $B $FROM_FILE; pwd'
  assert_contains "$output" "1 two yes"
  assert_contains "$output" "/tmp"
  run_pod run --rm -u nobody "$IMAGE" id
  assert_contains "$output" "uid=65534"
  run_pod run --rm --entrypoint echo "$IMAGE" from entrypoint
  assert_contains "$output" "from entrypoint"
  run_pod run --rm --entrypoint '["sh", "-c"]' "$IMAGE" 'echo json-entrypoint'
  assert_contains "$output" "json-entrypoint"
  run_pod run -d --name labelled --label team=blue --cidfile "$BATS_TEST_TMPDIR/cid" "$IMAGE" sleep 30
  [ "$(cat "$BATS_TEST_TMPDIR/cid")" = "${lines[-1]}" ] || die "cidfile differs"
  run_pod ps --filter label=team=blue -q
  [ -n "$output" ] || die "label filter found nothing"
  run_pod rm -f labelled
  run_pod run --rm --read-only --tmpfs /scratch "$IMAGE" sh -c 'touch /x 2>/dev/null && echo root-writable; touch /scratch/y && echo tmpfs-writable'
  [[ "$output" != *root-writable* ]] || die "--read-only root was writable"
  assert_contains "$output" "tmpfs-writable"
  run_pod run --rm --cap-drop all --cap-add NET_RAW --security-opt no-new-privileges "$IMAGE" sh -c 'grep -E "CapEff|NoNewPrivs" /proc/self/status'
  assert_contains "$output" "CapEff:	0000000000002000"
  assert_contains "$output" "NoNewPrivs:	1"
  run_pod run --rm "$IMAGE" sh -c 'grep CapEff /proc/self/status; cat /proc/self/status | grep Seccomp:'
  assert_contains "$output" "CapEff:	00000000800405fb"
  assert_contains "$output" "Seccomp:	2"
}

@test "-v: a bind mount, read-only with :ro; files made inside belong to the user outside" {
  mkdir -p "$BATS_TEST_TMPDIR/shared"
  echo from-host >"$BATS_TEST_TMPDIR/shared/host.txt"
  run_pod run --rm -v "$BATS_TEST_TMPDIR/shared:/shared" "$IMAGE" sh -c 'cat /shared/host.txt; echo inside > /shared/made.txt'
  assert_contains "$output" "from-host"
  [ "$(stat -c %u "$BATS_TEST_TMPDIR/shared/made.txt")" = "$(id -u)" ] || die "owner outside: $(stat -c %u "$BATS_TEST_TMPDIR/shared/made.txt")"
  run_pod run --rm -v "$BATS_TEST_TMPDIR/shared:/shared:ro" "$IMAGE" sh -c 'echo x > /shared/no.txt 2>/dev/null && echo writable || echo read-only'
  assert_contains "$output" "read-only"
}

@test "--init: a reaper is pid 1 and the command's status comes back" {
  run_pod 4 run --rm --init "$IMAGE" sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo; exit 4'
  assert_contains "$output" "/run/pod-init"
}

@test "a container outlives the pod that started it (SIGKILL), and another pod manages it" {
  # The binary itself, not the pod() function: the SIGKILL must hit pod.
  "$POD_BIN/pod" $(pod_store_args) run --name survivor "$IMAGE" sleep 300 >/dev/null 2>&1 &
  local starter=$!
  local i
  for i in $(seq 1 50); do
    pod ps -q --filter name=survivor | grep -q . && break
    sleep 0.1
  done
  kill -9 "$starter"
  wait "$starter" 2>/dev/null || true
  sleep 0.3
  run_pod ps --filter name=survivor
  assert_contains "$output" "Up "
  run_pod stop -t 0 survivor
  run_pod rm survivor
}

@test "20 detached containers at once, all managed" {
  local i
  for i in $(seq 1 20); do
    pod run -d --name "many$i" "$IMAGE" sleep 300 >/dev/null &
  done
  wait
  run_pod ps -q
  [ "${#lines[@]}" -eq 20 ] || die "ps shows ${#lines[@]} running"
  run_pod stop -t 0 $(pod ps -q)
  run_pod ps -a --filter status=exited -q
  [ "${#lines[@]}" -eq 20 ] || die "${#lines[@]} exited"
  run_pod rm -a
  run_pod ps -a -q
  [ -z "$output" ] || die "left: $output"
}

@test "bad input: unknown image, bad volume, name in use, exec into stopped, rm of running" {
  run_pod 125 run --rm --pull=never "$REGISTRY/pod-test/nothing-here" true
  assert_contains "$output" "not in local storage"
  run_pod 125 run --rm -v relative:/x "$IMAGE" true
  assert_contains "$output" "absolute"
  run_pod 125 run --rm -v /no/such/dir:/x "$IMAGE" true
  assert_contains "$output" "does not exist"
  run_pod run -d --name taken "$IMAGE" sleep 30
  run_pod 125 run --name taken "$IMAGE" true
  assert_contains "$output" 'the container name `taken` is already in use'
  run_pod 2 rm taken
  assert_contains "$output" "is running"
  run_pod stop -t 0 taken
  run_pod 125 exec taken true
  assert_contains "$output" "can only create exec sessions on running containers"
  run_pod rm taken
  run_pod 1 rm taken
  assert_contains "$output" "no container with name or ID"
  [ -z "$(ls "$(containers_dir)" 2>/dev/null)" ] || die "left behind: $(ls "$(containers_dir)")"
}

@test "--runtime crun runs the same container" {
  command -v crun >/dev/null || skip "crun is not installed"
  run_pod run --rm --runtime "$(command -v crun)" "$IMAGE" sh -c 'echo under-crun; echo pid=$$'
  assert_contains "$output" "under-crun"
  assert_contains "$output" "pid=1"
}
