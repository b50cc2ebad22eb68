#!/usr/bin/env bats
# images, tag, rmi, image inspect, image prune on pulled images.

load helpers

TLS=--tls-verify=false

setup_file() {
  export XDG_DATA_HOME="$BATS_FILE_TMPDIR/data"
  mkdir -p "$XDG_DATA_HOME"
  pod pull -q $TLS "$REGISTRY/pod-test/busybox" >/dev/null
}

@test "images: table, -q, --digests, --format json" {
  run_pod images
  [ "${lines[0]%% *}" = REPOSITORY ] || die "no header: ${lines[0]}"
  assert_contains "$output" "latest"
  run_pod images -q
  [[ "${lines[-1]}" =~ ^[0-9a-f]{12}$ ]] || die "-q printed ${lines[-1]}"
  run_pod images --digests
  assert_contains "$output" "sha256:"
  run_pod images --format json
  assert_contains "$output" '"RepoTags": ['
  assert_contains "$output" "\"$REGISTRY/pod-test/busybox:latest\""
}

@test "tag adds a name (short names go under localhost/), rmi of one name only untags" {
  run_pod tag "$REGISTRY/pod-test/busybox" mybox "$REGISTRY/other/box:v1"
  run_pod images
  assert_contains "$output" "localhost/mybox"
  assert_contains "$output" "$REGISTRY/other/box"
  run_pod rmi mybox
  assert_contains "$output" "Untagged: localhost/mybox:latest"
  run_pod rmi "$REGISTRY/other/box:v1"
  run_pod images
  [[ "$output" != *mybox* ]] || die "mybox still listed"
}

@test "rmi by id of an image with several names needs -f" {
  run_pod tag "$REGISTRY/pod-test/busybox" twice
  run_pod images -q
  local id=${lines[-1]}
  run_pod 2 rmi "$id"
  assert_contains "$output" "(must force)"
  run_pod rmi -f "$id"
  assert_contains "$output" "Deleted:"
  run_pod images -q
  [ "${#lines[@]}" -eq 0 ] || die "images left: $output"
  [ -z "$(ls "$XDG_DATA_HOME/pod/layers" | grep -v lock)" ] || die "layers left: $(ls "$XDG_DATA_HOME/pod/layers")"
  [ -z "$(ls "$XDG_DATA_HOME/pod/blobs/sha256")" ] || die "blobs left: $(ls "$XDG_DATA_HOME/pod/blobs/sha256")"
  pod pull -q $TLS "$REGISTRY/pod-test/busybox" >/dev/null
}

@test "rmi of an unknown image is exit 1 and names it; others still go" {
  run_pod tag "$REGISTRY/pod-test/busybox" extra
  run_pod 1 rmi nosuchimage localhost/extra
  assert_contains "$output" "nosuchimage: image not known"
  assert_contains "$output" "Untagged: localhost/extra:latest"
}

@test "image inspect: config, layers, digests as JSON" {
  run_pod image inspect "$REGISTRY/pod-test/busybox"
  assert_contains "$output" '"Cmd": ['
  assert_contains "$output" '"RootFS": {'
  assert_contains "$output" "\"RepoDigests\": ["
  run_pod inspect busybox
  assert_contains "$output" '"Os": "linux"'
  run_pod 125 image inspect nosuch
  assert_contains "$output" "nosuch: image not known"
}

@test "image prune removes only images without names; -a removes the rest" {
  run_pod image prune -f
  run_pod images -q
  [ "${#lines[@]}" -eq 1 ] || die "prune removed a named image: $output"
  run_pod image prune -a -f
  run_pod images -q
  [ "${#lines[@]}" -eq 0 ] || die "prune -a left: $output"
}

@test "image verbs under the image group" {
  run_pod image pull -q $TLS "$REGISTRY/pod-test/busybox"
  run_pod image ls
  assert_contains "$output" busybox
  run_pod image tag busybox grouped
  run_pod image rm grouped
  assert_contains "$output" "Untagged: localhost/grouped:latest"
}
