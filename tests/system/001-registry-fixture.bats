#!/usr/bin/env bats
# The fixture itself: a real registry on 127.0.0.1 holding the test images, pushed as OCI
# (busybox, layers) and as Docker v2 schema 2 (busybox-v2s2).

load helpers

registry_get() { # path [accept]
  curl -fsS ${2:+-H "Accept: $2"} "http://$REGISTRY/v2/$1"
}

@test "the registry lists the pushed repositories" {
  run registry_get _catalog
  [ "$status" -eq 0 ] || die "catalog: $output"
  assert_contains "$output" '"pod-test/busybox"'
  assert_contains "$output" '"pod-test/busybox-v2s2"'
  assert_contains "$output" '"pod-test/layers"'
  assert_contains "$output" '"pod-test/busybox-zstd"'
}

@test "every test image is tagged latest" {
  local name
  for name in busybox busybox-v2s2 layers; do
    run registry_get "pod-test/$name/tags/list"
    [ "$status" -eq 0 ] || die "tags of $name: $output"
    assert_contains "$output" "\"name\":\"pod-test/$name\""
    assert_contains "$output" '"tags":["latest"]'
  done
}

@test "busybox is an OCI image, busybox-v2s2 a Docker v2s2 image" {
  run registry_get pod-test/busybox/manifests/latest application/vnd.oci.image.manifest.v1+json
  assert_contains "$output" '"mediaType":"application/vnd.oci.image.manifest.v1+json"'
  assert_contains "$output" 'application/vnd.oci.image.layer.v1.tar+gzip'
  run registry_get pod-test/busybox-v2s2/manifests/latest application/vnd.docker.distribution.manifest.v2+json
  assert_contains "$output" '"mediaType":"application/vnd.docker.distribution.manifest.v2+json"'
  assert_contains "$output" 'application/vnd.docker.image.rootfs.diff.tar.gzip'
}

@test "layers has four layers, the last one a 20 MB incompressible file" {
  run registry_get pod-test/layers/manifests/latest application/vnd.oci.image.manifest.v1+json
  local layers
  layers=$(grep -o '"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip"' <<<"$output" | wc -l)
  [ "$layers" -eq 4 ] || die "expected 4 layers, found $layers"
  local last_size
  last_size=$(grep -o '"size":[0-9]*' <<<"${output##*layers}" | tail -1 | cut -d: -f2)
  [ "$last_size" -gt 20000000 ] || die "last layer is $last_size bytes, expected > 20 MB (incompressible)"
}

@test "a blob fetched back has the digest it was pushed under" {
  local manifest digest
  manifest=$(registry_get pod-test/layers/manifests/latest application/vnd.oci.image.manifest.v1+json)
  digest=$(grep -o '"digest":"sha256:[0-9a-f]*"' <<<"$manifest" | sed -n 2p | cut -d'"' -f4)
  run bash -c "curl -fsS 'http://$REGISTRY/v2/pod-test/layers/blobs/$digest' | sha256sum"
  [ "${output%% *}" = "${digest#sha256:}" ] || die "blob $digest hashes to $output"
}

@test "the layers image holds every special entry the later tests need" {
  local blob names=""
  for blob in "$POD_TEST_IMAGES"/layers/blobs/sha256/*; do
    names+=$(tar -tvzf "$blob" 2>/dev/null || true)
  done
  assert_contains "$names" 'data/.wh.deleted.txt'
  assert_contains "$names" 'data/opaque/.wh..wh..opq'
  assert_contains "$names" 'data/hard-b link to data/hard-a'
  assert_contains "$names" 'data/link -> keep.txt'
  assert_contains "$names" '-rwsr-xr-x 0/0'
  assert_contains "$names" '1000/1000'
  assert_contains "$names" 'prw-------'
  assert_contains "$names" 'data/empty/'
  assert_contains "$names" 'data/large.bin'
}
