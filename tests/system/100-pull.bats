#!/usr/bin/env bats
# pod pull and the store: images from the fixture's registry end up on disk exactly as
# their layers say, and bad input leaves the store as it was.

load helpers

TLS=--tls-verify=false

store() { echo "$XDG_DATA_HOME/pod"; }

# The unpacked directory of layer N (1-based) of IMAGE_ID.
layer_dir() { # image_id n
  local chain
  chain=$(grep -A8 '"layers"' "$(store)/images/$1/image.json" | grep -o '"[0-9a-f]\{64\}"' | sed -n "${2}p" | tr -d '"')
  echo "$(store)/layers/$chain/diff"
}

subuid_start() { awk -F: -v u="$(id -un)" '$1==u {print $2; exit}' /etc/subuid; }

# A registry of this test's own (its storage is ours to damage), with the layers image in it.
own_registry_with() { # image
  source "$POD_TESTS/support/registry.bash"
  registry_start "$BATS_TEST_TMPDIR/registry"
  echo "$REGISTRY_PID" >"$BATS_TEST_TMPDIR/registry.pidfile"
  "$POD_TESTS/support/push-layout" "$POD_TEST_IMAGES/$1" "127.0.0.1:$REGISTRY_PORT" "own/$1"
}

teardown() {
  if [ -f "$BATS_TEST_TMPDIR/registry.pidfile" ]; then
    source "$POD_TESTS/support/registry.bash"
    registry_stop "$(cat "$BATS_TEST_TMPDIR/registry.pidfile")"
  fi
}

# No half-written leftovers: temp dirs, partial downloads, layers without records.
assert_store_consistent() {
  local leftovers
  leftovers=$(find "$(store)/images" "$(store)/layers" "$(store)/blobs/sha256" -maxdepth 1 -name '.tmp-*' 2>/dev/null)
  [ -z "$leftovers" ] || die "leftovers in the store: $leftovers"
  local d
  for d in "$(store)"/layers/*/; do
    [ -d "$d" ] || continue
    [ -f "$d/layer.json" ] || die "layer without a record: $d"
  done
}

@test "pull an OCI image: its id is the config digest, images lists it" {
  run_pod pull $TLS "$REGISTRY/pod-test/busybox"
  local id=${lines[-1]}
  assert_contains "$output" "Trying to pull $REGISTRY/pod-test/busybox:latest..."
  assert_contains "$output" "Writing manifest to image destination"
  [ -f "$(store)/images/$id/image.json" ] || die "no image record for $id"
  local config_digest
  config_digest=$(sha256sum "$(store)/images/$id/config" | cut -d' ' -f1)
  [ "$config_digest" = "$id" ] || die "id $id is not the config digest $config_digest"
  run_pod images
  assert_contains "$output" "$REGISTRY/pod-test/busybox"
  assert_contains "$output" "${id:0:12}"
  assert_store_consistent
}

@test "pull a Docker v2s2 image" {
  run_pod pull -q $TLS "$REGISTRY/pod-test/busybox-v2s2"
  [ "${#lines[@]}" -eq 1 ] || die "-q printed more than the id"
  run_pod image inspect "$REGISTRY/pod-test/busybox-v2s2"
  assert_contains "$output" '"Architecture": "amd64"'
}

@test "pull an image with a zstd layer" {
  export XDG_DATA_HOME="$BATS_TEST_TMPDIR/zstd"  # its layer is busybox's: a fresh store unpacks it
  run_pod pull -q $TLS "$REGISTRY/pod-test/busybox-zstd"
  local id=${lines[-1]}
  grep -q 'tar+zstd' "$(store)/images/$id/manifest" || die "the manifest has no zstd layer"
  [ -x "$(layer_dir "$id" 1)/bin/busybox" ] || die "the zstd layer was not unpacked"
  run_pod image inspect "$REGISTRY/pod-test/busybox-zstd"
  assert_contains "$output" '"Os": "linux"'
}

@test "layers come out right on disk: owners, modes, setuid, hardlink, symlink, whiteouts, large file" {
  requires rootless subids
  run_pod pull -q $TLS "$REGISTRY/pod-test/layers"
  local id=${lines[-1]} l2 l3 l4 start
  l2=$(layer_dir "$id" 2); l3=$(layer_dir "$id" 3); l4=$(layer_dir "$id" 4)
  if true; then
    start=$(subuid_start)
    [ "$(stat -c %u:%g "$l2/data/owned-1000")" = "$((start + 999)):$((start + 999))" ] ||
      die "owned-1000 is $(stat -c %u:%g "$l2/data/owned-1000") outside"
    run_pod unshare stat -c %u:%g "$l2/data/owned-1000"
    [ "${lines[-1]}" = 1000:1000 ] || die "owned-1000 is ${lines[-1]} inside"
  fi
  [ "$(stat -c %a "$l2/data/owned-1000")" = 640 ] || die "mode of owned-1000: $(stat -c %a "$l2/data/owned-1000")"
  [ "$(stat -c %a "$l2/data/setuid")" = 4755 ] || die "setuid bit lost: $(stat -c %a "$l2/data/setuid")"
  [ "$(stat -c %i "$l2/data/hard-a")" = "$(stat -c %i "$l2/data/hard-b")" ] || die "hardlink does not share the inode"
  [ "$(readlink "$l2/data/link")" = keep.txt ] || die "symlink target: $(readlink "$l2/data/link")"
  [ -p "$l2/data/fifo" ] || die "fifo missing"
  [ -d "$l2/data/empty" ] && [ -z "$(ls -A "$l2/data/empty")" ] || die "empty dir missing"
  [ "$(stat -c %F:%t:%T "$l3/data/deleted.txt")" = "character special file:0:0" ] || die "whiteout is not a 0/0 device"
  [ ! -e "$l3/data/.wh.deleted.txt" ] || die ".wh. file left in the layer"
  run getfattr --absolute-names --only-values -n user.overlay.opaque "$l3/data/opaque"
  [ "$output" = y ] || die "opaque xattr missing: $output"
  local want got blob
  for blob in "$POD_TEST_IMAGES"/layers/blobs/sha256/*; do
    want=$(tar -xzOf "$blob" data/large.bin 2>/dev/null | sha256sum | cut -d' ' -f1) && [ "$want" != "$(printf '' | sha256sum | cut -d' ' -f1)" ] && break
  done
  got=$(sha256sum "$l4/data/large.bin" | cut -d' ' -f1)
  [ "$got" = "$want" ] || die "large.bin digest $got, expected $want"
  assert_store_consistent
}

@test "a second pull fetches nothing" {
  run_pod pull $TLS "$REGISTRY/pod-test/busybox"
  run_pod pull $TLS "$REGISTRY/pod-test/busybox"
  assert_contains "$output" "skipped: already exists"
}

@test "an unknown image is a clear error naming it, exit 125" {
  run_pod 125 pull $TLS "$REGISTRY/pod-test/no-such-image:1.0"
  assert_contains "$output" "Error: pulling \`$REGISTRY/pod-test/no-such-image:1.0\`"
  assert_contains "$output" "not found"
}

@test "a plain-HTTP registry without --tls-verify=false says how to allow it" {
  run_pod 125 pull "$REGISTRY/pod-test/busybox"
  assert_contains "$output" "--tls-verify=false"
}

@test "a blob whose bytes do not match its digest is refused and nothing is stored" {
  export XDG_DATA_HOME="$BATS_TEST_TMPDIR/fresh"
  own_registry_with layers
  local before blob_hex data
  before=$(ls "$(store)/images" | sort)
  # Damage the real registry's copy of the small 'special files' layer: same size, other bytes.
  blob_hex=$(sed -n 2p "$POD_TEST_IMAGES/layers/push-plan" | cut -d: -f2)
  data="$BATS_TEST_TMPDIR/registry/data/docker/registry/v2/blobs/sha256/${blob_hex:0:2}/$blob_hex/data"
  [ -f "$data" ] || die "no registry blob at $data"
  printf 'X' | dd of="$data" bs=1 seek=100 conv=notrunc status=none
  run_pod 125 pull $TLS "127.0.0.1:$REGISTRY_PORT/own/layers"
  assert_contains "$output" "digest mismatch"
  assert_contains "$output" "sha256:$blob_hex"
  [ "$(ls "$(store)/images" | sort)" = "$before" ] || die "an image record appeared"
  [ ! -e "$(store)/blobs/sha256/$blob_hex" ] || die "the bad blob was stored"
  [ ! -e "$(store)/blobs/partial/$blob_hex" ] || die "the bad partial download was kept"
  assert_store_consistent
}

@test "a registry that is down is retried, then a clear error; the store stays consistent" {
  own_registry_with busybox
  local port=$REGISTRY_PORT
  registry_stop "$(cat "$BATS_TEST_TMPDIR/registry.pidfile")"
  run_pod 125 pull $TLS "127.0.0.1:$port/own/busybox"
  assert_contains "$output" "127.0.0.1:$port"
  assert_store_consistent
}

@test "without subordinate ids, an image with files of other owners fails clearly" {
  requires rootless
  [ "$POD_TEST_AS" = user-noids ] || skip "for a user without subordinate ids"
  run_pod 125 pull $TLS "$REGISTRY/pod-test/layers"
  assert_contains "$output" "uid 1000 of \`owned-1000\` is not mapped"
  assert_store_consistent
}

@test "two concurrent pulls of one image both succeed and store it once" {
  requires subids
  local out1="$BATS_TEST_TMPDIR/1" out2="$BATS_TEST_TMPDIR/2"
  export XDG_DATA_HOME="$BATS_TEST_TMPDIR/concurrent"
  pod pull -q $TLS "$REGISTRY/pod-test/layers" >"$out1" 2>&1 &
  local p1=$!
  pod pull -q $TLS "$REGISTRY/pod-test/layers" >"$out2" 2>&1 &
  local p2=$!
  wait $p1 || die "first pull failed: $(cat "$out1")"
  wait $p2 || die "second pull failed: $(cat "$out2")"
  [ "$(tail -1 "$out1")" = "$(tail -1 "$out2")" ] || die "different ids: $(cat "$out1") / $(cat "$out2")"
  [ "$(ls "$(store)/images" | wc -l)" -eq 1 ] || die "images: $(ls "$(store)/images")"
  [ "$(ls -d "$(store)"/layers/*/ | wc -l)" -eq 4 ] || die "layers: $(ls "$(store)/layers")"
  assert_store_consistent
}

write_registries_conf() {
  mkdir -p "$XDG_CONFIG_HOME/containers"
  cat >"$XDG_CONFIG_HOME/containers/registries.conf"
}

@test "registries.conf: a short name resolves through the search registry, insecure needs no flag" {
  export XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/config"
  write_registries_conf <<EOF
unqualified-search-registries = ["$REGISTRY"]
[[registry]]
location = "$REGISTRY"
insecure = true
EOF
  run_pod pull pod-test/busybox
  assert_contains "$output" "Trying to pull $REGISTRY/pod-test/busybox:latest..."
  run_pod images
  assert_contains "$output" "$REGISTRY/pod-test/busybox"
}

@test "registries.conf: an ambiguous short name without a terminal lists the candidates" {
  export XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/config"
  write_registries_conf <<EOF
unqualified-search-registries = ["$REGISTRY", "registry.invalid"]
EOF
  run_pod 125 pull pod-test/busybox </dev/null
  assert_contains "$output" "$REGISTRY/pod-test/busybox:latest"
  assert_contains "$output" "registry.invalid/pod-test/busybox:latest"
}

@test "registries.conf: a blocked registry is refused before any request" {
  export XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/config"
  write_registries_conf <<EOF
[[registry]]
location = "$REGISTRY"
blocked = true
EOF
  run_pod 125 pull $TLS "$REGISTRY/pod-test/busybox"
  assert_contains "$output" "is blocked in"
}

@test "on a terminal, pull redraws a progress line per layer" {
  export XDG_DATA_HOME="$BATS_TEST_TMPDIR/tty"
  run script -qefc "$POD_BIN/pod $(pod_store_args) pull $TLS $REGISTRY/pod-test/busybox" /dev/null
  [ "$status" -eq 0 ] || die "pull on a pty failed: $output"
  assert_contains "$output" $'\x1b[2K'
  assert_contains "$output" "Copying blob"
  assert_contains "$output" "] "
}
