#!/usr/bin/env bats
# pod-copy and pod push/save/load/import/export: every transport as source and destination, --all on an
# index, recompression and format conversion, cross-repository mounts, skipping what is there,
# resuming a killed copy, delete, sync, and bad input leaving nothing that looks complete.

load helpers

TLS=--tls-verify=false
BOTH="--src-tls-verify=false --dest-tls-verify=false"

setup() {
  setup_proxy_test
  D=$BATS_TEST_TMPDIR
  # The registry is shared by the runs as each user: each writes its own repositories.
  NS=t$(id -u)
}

teardown() { proxy_stop "$PROXY_PID"; }

start_proxy() { proxy_start "$REGISTRY" "$D/proxy" "$@"; }

copy() { run_tool "$POD_BIN/pod-copy" "$@"; }
pod_copy() { "$POD_BIN/pod-copy" $(pod_store_args) "$@"; }

# The digest of the manifest an image name shows (the registry's, a layout's…).
manifest_digest() { pod_copy inspect --raw --tls-verify=false "$1" | sha256sum | cut -d' ' -f1; }

validate_layout() { # dir
  run_tool oci-image-tool validate --type image "$1"
  assert_contains "$output" "Validation succeeded"
}

@test "every source × destination pair round-trips busybox; digests kept where nothing is converted" {
  local src=docker://$REGISTRY/pod-test/busybox:latest want
  want=$(manifest_digest "$src")
  # One copy of the image in each transport, made from the registry.
  declare -A at=(
    [docker]="docker://$REGISTRY/$NS-pairs/src:1"
    [oci]="oci:$D/src-oci:v1"
    [oci-archive]="oci-archive:$D/src.tar:v1"
    [dir]="dir:$D/src-dir"
    [docker-archive]="docker-archive:$D/src-d.tar:pairs/src:1"
    [local]="local:pairs/src:1"
  )
  local t
  for t in "${!at[@]}"; do copy $(pod_store_args) copy -q $BOTH "$src" "${at[$t]}"; done
  local from to n=0
  for from in "${!at[@]}"; do
    for to in docker oci oci-archive dir docker-archive local; do
      n=$((n + 1))
      case $to in
        docker) dest="docker://$REGISTRY/$NS-pairs/to-$from:1" ;;
        oci) dest="oci:$D/to-$from-oci:x" ;;
        oci-archive) dest="oci-archive:$D/to-$from.tar:x" ;;
        dir) dest="dir:$D/to-$from-dir" ;;
        docker-archive) dest="docker-archive:$D/to-$from-d.tar:pairs/to-$from:1" ;;
        local) dest="local:pairs/to-$from:1" ;;
      esac
      copy $(pod_store_args) copy -q $BOTH "${at[$from]}" "$dest"
      # docker-archive stores plain tars (a new manifest); everything else keeps the bytes.
      if [ "$from" != docker-archive ] && [ "$to" != docker-archive ]; then
        [ "$(manifest_digest "$dest")" = "$want" ] || die "$from → $to changed the manifest digest"
      fi
    done
  done
  [ "$n" -eq 36 ] || die "expected 36 pairs, ran $n"
  validate_layout "$D/to-dir-oci"
  mkdir "$D/unpacked" && tar -C "$D/unpacked" -xf "$D/to-local.tar"
  validate_layout "$D/unpacked"
  # What came through docker-archive still runs.
  run_pod run --rm pairs/to-docker-archive:1 echo through-docker-archive
  assert_contains "$output" "through-docker-archive"
}

# A two-platform index in an OCI layout: busybox as linux/amd64, the layers image as linux/arm64.
# (gzip both: the Debian oci-image-tool predates zstd layers.)
make_index_layout() { # dir
  local dir=$1 amd arm index
  cp -r "$POD_TEST_IMAGES/busybox" "$dir"
  cp -n "$POD_TEST_IMAGES/layers/blobs/sha256/"* "$dir/blobs/sha256/"
  amd=$(jq -c '.manifests[0] | del(.annotations) + {platform: {os: "linux", architecture: "amd64"}}' "$dir/index.json")
  arm=$(jq -c '.manifests[0] | del(.annotations) + {platform: {os: "linux", architecture: "arm64"}}' \
    "$POD_TEST_IMAGES/layers/index.json")
  index=$(jq -cn --argjson a "$amd" --argjson b "$arm" \
    '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [$a, $b]}')
  printf '%s' "$index" >"$dir/index.blob"
  local digest size
  digest=$(sha256sum "$dir/index.blob" | cut -d' ' -f1)
  size=$(stat -c %s "$dir/index.blob")
  mv "$dir/index.blob" "$dir/blobs/sha256/$digest"
  jq -cn --arg d "sha256:$digest" --argjson s "$size" \
    '{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $s,
      annotations: {"org.opencontainers.image.ref.name": "latest"}}]}' >"$dir/index.json"
}

@test "--all copies a two-platform index whole; without it, the chosen platform; inspect shows an index it cannot pick from" {
  make_index_layout "$D/multi"
  copy copy -q --all $BOTH "oci:$D/multi:latest" "docker://$REGISTRY/$NS-multi/bb:1"
  run_tool bash -c "'$POD_BIN/pod-copy' inspect --raw --tls-verify=false docker://$REGISTRY/$NS-multi/bb:1 | jq -r '.manifests[].platform.architecture'"
  assert_contains "$output" "amd64"
  assert_contains "$output" "arm64"
  [ "$(manifest_digest "docker://$REGISTRY/$NS-multi/bb:1")" = "$(manifest_digest "oci:$D/multi:latest")" ] ||
    die "the index digest changed"
  copy copy -q --all $BOTH "docker://$REGISTRY/$NS-multi/bb:1" "oci:$D/back"
  validate_layout "$D/back"
  # One platform: the arm64 image alone (the layers image).
  copy --override-arch arm64 copy -q $BOTH "docker://$REGISTRY/$NS-multi/bb:1" "oci:$D/arm"
  [ "$(manifest_digest "oci:$D/arm")" = "$(manifest_digest "oci:$POD_TEST_IMAGES/layers:latest")" ] ||
    die "--override-arch arm64 did not copy the arm64 image"
  copy --override-arch s390x inspect --tls-verify=false "docker://$REGISTRY/$NS-multi/bb:1"
  assert_contains "$output" '"Manifests"'
  assert_contains "$output" 'linux/arm64'
  # Archives and the local store hold single images.
  copy 1 copy --all $BOTH "docker://$REGISTRY/$NS-multi/bb:1" "docker-archive:$D/m.tar"
  assert_contains "$output" "not an index"
  [ ! -e "$D/m.tar" ] || die "a refused copy left an archive"
}

@test "recompression gzip → zstd → gzip and v2s2 ↔ oci; the results run; --preserve-digests refuses" {
  copy copy -q $BOTH --dest-compress-format zstd "docker://$REGISTRY/pod-test/busybox" "docker://$REGISTRY/$NS-re/bb:zstd"
  copy inspect --tls-verify=false "docker://$REGISTRY/$NS-re/bb:zstd"
  assert_contains "$output" "application/vnd.oci.image.layer.v1.tar+zstd"
  copy copy -q $BOTH --dest-compress-format gzip "docker://$REGISTRY/$NS-re/bb:zstd" "docker://$REGISTRY/$NS-re/bb:gzip"
  copy inspect --tls-verify=false "docker://$REGISTRY/$NS-re/bb:gzip"
  assert_contains "$output" "application/vnd.oci.image.layer.v1.tar+gzip"
  copy 1 copy $BOTH -f v2s2 "docker://$REGISTRY/$NS-re/bb:zstd" "docker://$REGISTRY/$NS-re/bb:bad"
  assert_contains "$output" "zstd layers cannot be stored in a Docker v2s2 manifest"
  copy copy -q $BOTH -f v2s2 "docker://$REGISTRY/$NS-re/bb:gzip" "docker://$REGISTRY/$NS-re/bb:v2s2"
  copy 1 copy $BOTH -f v2s2 --dest-compress-format zstd "docker://$REGISTRY/pod-test/busybox" "docker://$REGISTRY/$NS-re/bb:bad"
  assert_contains "$output" "zstd layers cannot be stored in a Docker v2s2 manifest"
  copy 1 copy $BOTH --preserve-digests --dest-compress-format zstd "docker://$REGISTRY/pod-test/busybox" "oci:$D/p"
  assert_contains "$output" "--preserve-digests"
  local tag
  for tag in zstd gzip v2s2; do
    run_pod pull -q $TLS "$REGISTRY/$NS-re/bb:$tag"
    run_pod run --rm "$REGISTRY/$NS-re/bb:$tag" echo "ran-$tag"
    assert_contains "$output" "ran-$tag"
  done
  run_tool bash -c "'$POD_BIN/pod-copy' inspect --raw --tls-verify=false docker://$REGISTRY/$NS-re/bb:v2s2 | jq -r .mediaType"
  assert_contains "$output" "application/vnd.docker.distribution.manifest.v2+json"
}

@test "save and load round trip: docker-archive, oci-archive, stdin, two images in one archive" {
  run_pod pull -q $TLS "$REGISTRY/pod-test/busybox"
  run_pod pull -q $TLS "$REGISTRY/pod-test/layers"
  run_pod save -q -o "$D/two.tar" "$REGISTRY/pod-test/busybox" "$REGISTRY/pod-test/layers"
  run_pod save -q --format oci-archive -o "$D/one.tar" "$REGISTRY/pod-test/busybox"
  run_tool bash -c "'$POD_BIN/pod' $(pod_store_args) save $REGISTRY/pod-test/busybox > '$D/stdout.tar'"
  run_pod rmi -a
  run_pod load -q -i "$D/two.tar"
  assert_contains "$output" "Loaded image: $REGISTRY/pod-test/busybox:latest"
  assert_contains "$output" "Loaded image: $REGISTRY/pod-test/layers:latest"
  run_pod run --rm "$REGISTRY/pod-test/layers" cat /etc/passwd
  assert_contains "$output" "root:x:0:0"
  run_pod rmi -a
  run_tool bash -c "'$POD_BIN/pod' $(pod_store_args) load < '$D/one.tar'"
  assert_contains "$output" "Loaded image: $REGISTRY/pod-test/busybox:latest"
  run_pod rmi -a
  run_pod load -i "$D/stdout.tar"
  run_pod run --rm "$REGISTRY/pod-test/busybox" echo loaded
  assert_contains "$output" "loaded"
  printf 'not a tar' >"$D/junk.tar"
  run_pod 125 load -i "$D/junk.tar"
  assert_contains "$output" "junk.tar"
}

@test "push to a second repository of the same registry mounts instead of uploading" {
  start_proxy
  local reg=127.0.0.1:$PROXY_PORT
  run_pod pull -q $TLS "$reg/pod-test/layers"
  run_pod push -q $TLS "$reg/pod-test/layers" "$reg/$NS-mounted/layers:1"
  grep -q 'mount=sha256' "$PROXY_LOG" || die "no mount asked for: $(cat "$PROXY_LOG")"
  ! grep -q 'PUT .*/blobs/uploads/.*digest=' "$PROXY_LOG" || die "a blob was uploaded: $(grep PUT "$PROXY_LOG")"
  [ "$(manifest_digest "docker://$reg/$NS-mounted/layers:1")" = "$(manifest_digest "docker://$reg/pod-test/layers")" ] ||
    die "the pushed manifest differs"
}

@test "a second copy sends no blob: registry → registry and into a layout" {
  start_proxy
  local reg=127.0.0.1:$PROXY_PORT
  copy copy $BOTH "docker://$reg/pod-test/layers" "docker://$REGISTRY/$NS-again/layers:1"
  : >"$PROXY_LOG"
  copy copy $BOTH "docker://$reg/pod-test/layers" "docker://$REGISTRY/$NS-again/layers:1"
  [ "$(grep -c 'skipped: already exists' <<<"$output")" -eq 5 ] || die "expected 4 layers and the config skipped"
  ! grep -q 'GET .*/blobs/' "$PROXY_LOG" || die "blobs were fetched again: $(cat "$PROXY_LOG")"
  copy copy -q $BOTH "docker://$reg/pod-test/layers" "oci:$D/l:1"
  : >"$PROXY_LOG"
  copy copy $BOTH "docker://$reg/pod-test/layers" "oci:$D/l:1"
  ! grep -q 'GET .*/blobs/' "$PROXY_LOG" || die "blobs were fetched again: $(cat "$PROXY_LOG")"
}

@test "a copy killed mid-blob leaves no complete-looking layout; the rerun finishes from the blobs there" {
  start_proxy --slow-blobs 2000000
  local reg=127.0.0.1:$PROXY_PORT i
  "$POD_BIN/pod-copy" copy -q $BOTH "docker://$reg/pod-test/layers" "oci:$D/r:1" </dev/null >/dev/null 2>&1 &
  local pid=$!
  for i in $(seq 1 100); do
    compgen -G "$D/r/blobs/sha256/*.partial-*" >/dev/null && break
    sleep 0.1
  done
  sleep 1
  kill -9 "$pid"
  wait "$pid" || true
  [ ! -e "$D/r/index.json" ] || die "a killed copy wrote index.json"
  copy copy $BOTH "docker://$REGISTRY/pod-test/layers" "oci:$D/r:1"
  assert_contains "$output" "skipped: already exists"
  validate_layout "$D/r"
}

@test "bad input: unknown transport, missing tag, corrupt archive, tampered blob, wrong credentials" {
  copy 1 copy "nosuch:thing" "oci:$D/x"
  assert_contains "$output" 'unknown transport `nosuch`'
  copy 1 copy $BOTH "docker://$REGISTRY/pod-test/busybox:nope" "oci:$D/missing"
  assert_contains "$output" "not found"
  [ ! -e "$D/missing/index.json" ] || die "a failed copy wrote index.json"
  head -c 5000 /dev/urandom >"$D/corrupt.tar"
  copy 1 copy "docker-archive:$D/corrupt.tar" "oci:$D/c"
  assert_contains "$output" "corrupt.tar"
  start_proxy --tamper-blobs
  copy 1 copy $BOTH "docker://127.0.0.1:$PROXY_PORT/pod-test/busybox" "oci:$D/t"
  assert_contains "$output" "digest mismatch"
  [ ! -e "$D/t/index.json" ] || die "a tampered copy wrote index.json"
  [ -z "$(ls "$D/t/blobs/sha256" 2>/dev/null | grep -v '^[0-9a-f]\{64\}$')" ] || die "partial files left behind"
  proxy_stop "$PROXY_PID"
  PROXY_PID=""
  start_proxy --token-auth alice:s3cret
  copy 1 copy $BOTH --dest-creds alice:wrong "oci:$POD_TEST_IMAGES/busybox:latest" "docker://127.0.0.1:$PROXY_PORT/$NS-auth/bb:1"
  assert_contains "$output" "invalid username or password"
  copy copy -q $BOTH --dest-creds alice:s3cret "oci:$POD_TEST_IMAGES/busybox:latest" "docker://127.0.0.1:$PROXY_PORT/$NS-auth/bb:1"
}

@test "list-tags; delete refuses while other tags share the manifest, --force deletes" {
  copy copy -q $BOTH "docker://$REGISTRY/pod-test/busybox" "docker://$REGISTRY/$NS-del/bb:1"
  copy copy -q $BOTH "docker://$REGISTRY/pod-test/busybox" "docker://$REGISTRY/$NS-del/bb:2"
  copy list-tags --tls-verify=false "docker://$REGISTRY/$NS-del/bb"
  assert_contains "$output" '"1"'
  assert_contains "$output" '"2"'
  copy 1 delete --tls-verify=false "docker://$REGISTRY/$NS-del/bb:1"
  assert_contains "$output" "would also delete tag(s) 2"
  copy delete --force --tls-verify=false "docker://$REGISTRY/$NS-del/bb:1"
  copy 1 inspect --tls-verify=false "docker://$REGISTRY/$NS-del/bb:2"
  assert_contains "$output" "not found"
}

@test "sync: a repository to a directory and back to a registry; a rerun skips; a broken image is listed at the end" {
  copy sync --src docker --dest dir $BOTH "$REGISTRY/pod-test/busybox" "$D/sync"
  [ -f "$D/sync/busybox:latest/manifest.json" ] || die "no dir image written: $(ls -R "$D/sync")"
  copy sync --src docker --dest dir $BOTH "$REGISTRY/pod-test/busybox" "$D/sync"
  assert_contains "$output" "already there"
  mkdir "$D/sync/broken" && echo '{' >"$D/sync/broken/manifest.json"
  copy 1 sync --src dir --dest docker $BOTH "$D/sync" "$REGISTRY/$NS-synced"
  assert_contains "$output" "1 of 2 images failed"
  assert_contains "$output" "broken"
  [ "$(manifest_digest "docker://$REGISTRY/$NS-synced/busybox:latest")" = "$(manifest_digest "docker://$REGISTRY/pod-test/busybox")" ] ||
    die "the synced image differs"
}

@test "import a tarball with --change; export a container; the export imports and runs" {
  mkdir -p "$D/root/bin" "$D/root/etc"
  cp /bin/busybox "$D/root/bin/busybox"
  ln -s busybox "$D/root/bin/sh"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$D/root/etc/passwd"
  tar -C "$D/root" --owner=0 --group=0 --numeric-owner -czf "$D/root.tgz" .
  run_pod import -q --change 'CMD ["/bin/busybox", "echo", "from-import"]' --change 'ENV GREETING=hi' \
    -m "made by a test" "$D/root.tgz" imported:1
  run_pod run --rm imported:1
  assert_contains "$output" "from-import"
  run_pod run --rm imported:1 /bin/sh -c 'echo greeting=$GREETING'
  assert_contains "$output" "greeting=hi"
  run_pod 125 import --change 'FROBNICATE x' "$D/root.tgz"
  assert_contains "$output" "unsupported instruction"
  run_pod run --name exp imported:1 /bin/sh -c 'echo exported >/marker'
  run_pod export -o "$D/exp.tar" exp
  run_tool tar -tf "$D/exp.tar"
  assert_contains "$output" "marker"
  assert_contains "$output" "bin/busybox"
  run_tool bash -c "'$POD_BIN/pod' $(pod_store_args) import - from-export:1 < '$D/exp.tar'"
  run_pod run --rm from-export:1 /bin/busybox cat /marker
  assert_contains "$output" "exported"
  run_pod rm exp
}

@test "pod copy runs pod-copy" {
  run_pod copy -q $BOTH "docker://$REGISTRY/pod-test/busybox" "oci:$D/via-pod:1"
  validate_layout "$D/via-pod"
}
