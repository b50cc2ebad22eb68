#!/usr/bin/env bats
# The other container verbs: logs options, attach, start -a, rename, top, port, pause;
# --userns=keep-id; pod info's storage and runtime facts.

load helpers

setup_file() { setup_container_file; }
teardown() { remove_all_containers; }

@test "logs: --tail, -t, --since, -f until the container exits; stderr stays stderr" {
  run_pod run --name talker "$IMAGE" sh -c 'for i in 1 2 3 4 5; do echo line$i; done; echo oops >&2; printf partial'
  run_pod logs --tail 2 talker
  [ "${#lines[@]}" -eq 2 ] || die "--tail 2 gave ${#lines[@]} lines"
  assert_contains "$output" "oops"
  run_pod logs -t talker
  [[ "${lines[0]}" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T.*Z\ line1$ ]] || die "no timestamp: ${lines[0]}"
  run_pod logs --since 1h talker
  assert_contains "$output" "line5"
  assert_contains "$output" "partial"
  run --separate-stderr "$POD_BIN/pod" $(pod_store_args) logs talker
  [[ "$output" != *oops* ]] || die "stderr went to stdout"
  assert_contains "$stderr" "oops"
  run_pod run -d --name slow "$IMAGE" sh -c 'echo first; sleep 1; echo second'
  run_pod logs -f slow
  assert_contains "$output" "first"
  assert_contains "$output" "second"
}

@test "attach and start -a: the output of a running container, its exit code at the end" {
  run_pod run -d --name later "$IMAGE" sh -c 'sleep 1; echo after-attach; exit 6'
  run_pod 6 attach later
  assert_contains "$output" "after-attach"
  run_pod 6 start -a later
  assert_contains "$output" "after-attach"
}

@test "rename, top, port" {
  run_pod run -d --name before "$IMAGE" sleep 60
  run_pod rename before after
  run_pod ps --format json
  echo "$output" | jq -e '.[0].Names[0] == "after"'
  run_pod top after
  assert_contains "$output" "sleep 60"
  run_pod port after
  [ -z "$output" ] || die "port listed: $output"
  run_pod stop -t 0 after
}

@test "--userns=keep-id: the user's own ids inside, and files keep the user's ownership outside" {
  requires rootless subids
  mkdir -p "$BATS_TEST_TMPDIR/home"
  run_pod run --rm --userns=keep-id -v "$BATS_TEST_TMPDIR/home:/home/me" "$IMAGE" sh -c 'id -u; id -g; touch /home/me/made'
  [ "${lines[0]}" = "$(id -u)" ] || die "uid inside is ${lines[0]}"
  [ "${lines[1]}" = "$(id -g)" ] || die "gid inside is ${lines[1]}"
  [ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/home/made")" = "$(id -u):$(id -g)" ] || die "owner outside: $(stat -c %u:%g "$BATS_TEST_TMPDIR/home/made")"
}

@test "info: the storage driver chosen and the runtime" {
  run_pod run --rm "$IMAGE" true
  run_pod info --format json
  echo "$output" | jq -e '.store.graphDriverName == "overlay" or .store.graphDriverName == "fuse-overlayfs"'
  echo "$output" | jq -e '.host.ociRuntime.name == "pod-runtime" and (.host.ociRuntime.path | length > 0)'
  # The cgroup layout, and for each controller either where it is delegated or why not.
  echo "$output" | jq -e '.host.cgroups.version | test("v1|v2")'
  echo "$output" | jq -e '(.host.cgroups.missing | length) + (.host.cgroups.delegated | length) > 0'
}

@test "cp: host → container and back, files and directories, running and stopped" {
  mkdir -p "$BATS_TEST_TMPDIR/src/dir/sub"
  echo file-content >"$BATS_TEST_TMPDIR/src/file.txt"
  echo deep >"$BATS_TEST_TMPDIR/src/dir/sub/deep.txt"
  run_pod run -d --name box "$IMAGE" sleep 60
  run_pod cp "$BATS_TEST_TMPDIR/src/file.txt" box:/tmp/
  run_pod cp "$BATS_TEST_TMPDIR/src/dir" box:/tmp/copied
  run_pod exec box sh -c 'cat /tmp/file.txt /tmp/copied/sub/deep.txt; stat -c %u /tmp/file.txt'
  assert_contains "$output" "file-content"
  assert_contains "$output" "deep"
  [ "${lines[-1]}" = 0 ] || die "copied file owned by ${lines[-1]} inside, not root"
  run_pod cp box:/etc/passwd "$BATS_TEST_TMPDIR/passwd"
  grep -q '^root:' "$BATS_TEST_TMPDIR/passwd" || die "passwd not copied out"
  run_pod cp box:/tmp/copied "$BATS_TEST_TMPDIR/back"
  [ "$(cat "$BATS_TEST_TMPDIR/back/sub/deep.txt")" = deep ] || die "directory not copied out"
  run_pod 125 cp box:/no/such/file "$BATS_TEST_TMPDIR/x"
  assert_contains "$output" "/no/such/file"
  run_pod stop -t 0 box
  run_pod cp "$BATS_TEST_TMPDIR/src/file.txt" box:/root/while-stopped.txt
  run_pod cp box:/root/while-stopped.txt "$BATS_TEST_TMPDIR/out.txt"
  [ "$(cat "$BATS_TEST_TMPDIR/out.txt")" = file-content ] || die "copy through a stopped container failed"
  run_pod 125 cp "$BATS_TEST_TMPDIR/src/file.txt" "$BATS_TEST_TMPDIR/elsewhere"
  assert_contains "$output" "CONTAINER:PATH"
}

@test "--storage-driver fuse-overlayfs works where asked, and leaves no daemon behind" {
  requires fuse
  command -v fuse-overlayfs >/dev/null || skip "fuse-overlayfs is not installed"
  run_pod --storage-driver fuse-overlayfs run --rm "$IMAGE" sh -c 'grep " / " /proc/mounts; touch /x && echo writable'
  assert_contains "$output" "fuse-overlayfs"
  assert_contains "$output" "writable"
  sleep 0.5
  ! pgrep -u "$(id -u)" -f "fuse-overlayfs.*$XDG_DATA_HOME" || die "a fuse-overlayfs daemon is left"
}

@test "create then start -ai; exec -e -u -w -d and -it; container prune" {
  run_pod create --name made -i "$IMAGE" sh -c 'read x; echo "got $x"; exit 2'
  run_pod ps -a --filter name=made --format json
  echo "$output" | jq -e '.[0].State == "created"'
  run_pod 2 start -a -i made <<<"hello"
  assert_contains "$output" "got hello"
  run_pod run -d --name live "$IMAGE" sleep 60
  run_pod exec -e GREETING=hi -u nobody -w /tmp live sh -c 'echo $GREETING; id -u; pwd'
  assert_contains "$output" "hi"
  assert_contains "$output" "65534"
  assert_contains "$output" "/tmp"
  run_pod exec -d live sh -c 'sleep 5'
  run -0 timeout 60 script -qec "$POD_BIN/pod $(pod_store_args) exec -it live sh -c 'tty; read l; echo got:\$l'" /dev/null <<<"typed"
  echo "$output"
  assert_contains "$output" "/dev/pts/"
  assert_contains "$output" "got:typed"
  run_pod 127 exec live no-such-program
  run_pod stop -t 0 live
  run_pod container prune
  run_pod ps -a -q
  [ -z "$output" ] || die "prune left: $output"
}

@test "--storage-driver vfs: a copy of the layers with their whiteouts, seen as overlay shows them" {
  pod pull -q --tls-verify=false "$REGISTRY/pod-test/layers" >/dev/null
  local view='find /data | sort; cat /data/opaque/*; ls -ln /data/hard-a | cut -c1-14'
  run_pod --storage-driver overlay run --rm "$REGISTRY/pod-test/layers" sh -c "$view"
  local overlay=$output
  run_pod --storage-driver vfs run --rm "$REGISTRY/pod-test/layers" sh -c "$view; touch /made && echo writable"
  assert_contains "$output" "writable"
  [ "${output%$'\n'writable}" = "$overlay" ] || die "vfs differs from overlay: $(diff <(echo "$overlay") <(echo "$output"))"
  [[ "$overlay" != *deleted.txt* ]] || die "the whiteout did not hide deleted.txt"
  [[ "$overlay" != *old.txt* ]] || die "the opaque dir did not hide old.txt"
}
