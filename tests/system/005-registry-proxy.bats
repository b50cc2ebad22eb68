#!/usr/bin/env bats
# pod-test-registry-proxy, the fake that later tests put in front of the fixture's registry for
# the faults a real registry cannot produce on demand: Docker Hub-style token auth, a blob
# download cut midway, injected 503s, slow and tampered blobs. Checked here with plain curl, so
# a failing pull test can trust its proxy.

load helpers

OCI_MANIFEST=application/vnd.oci.image.manifest.v1+json

setup() {
  # shellcheck disable=SC1091
  source "$POD_TESTS/support/registry.bash"
  export POD_TEST_PROXY="$POD_LIBEXEC/tests/pod-test-registry-proxy"
  [ -x "$POD_TEST_PROXY" ] || die "no proxy at $POD_TEST_PROXY (cmake --install BUILD --component tests)"
  PROXY_PID=""
  OWN_REGISTRY_PID=""
  local manifest
  manifest=$(curl -fsS -m 30 -H "Accept: $OCI_MANIFEST" "http://$REGISTRY/v2/pod-test/layers/manifests/latest")
  # Layers in manifest order; the 4th is the ~20 MB incompressible one.
  mapfile -t LAYERS < <(grep -o '"digest":"sha256:[0-9a-f]*"' <<<"${manifest#*\"layers\"}" | cut -d'"' -f4)
  [ "${#LAYERS[@]}" -eq 4 ] || die "pod-test/layers should have 4 layers, has ${#LAYERS[@]}"
  LARGE=${LAYERS[3]}
  BLOB_PATH="/v2/pod-test/layers/blobs/$LARGE"
}

teardown() {
  proxy_stop "$PROXY_PID"
  registry_stop "$OWN_REGISTRY_PID"
}

start_proxy() { # [modes...] → PROXY (host:port), PROXY_LOG
  proxy_start "$REGISTRY" "$BATS_TEST_TMPDIR/proxy" "$@"
  PROXY=127.0.0.1:$PROXY_PORT
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# proxy_get PATH [curl args...] — GET through the proxy; body on stdout.
proxy_get() {
  local path=$1
  shift
  curl -sS -m 60 "$@" "http://$PROXY$path"
}

# Waits (bounded) for a line matching REGEX in the proxy log: lines are written once a
# response is over, which a killed client does not wait for.
wait_for_log() { # regex
  for _ in $(seq 1 50); do
    grep -qE "$1" "$PROXY_LOG" && return 0
    sleep 0.1
  done
  die "no line matching '$1' in the proxy log: $(cat "$PROXY_LOG")"
}

@test "without modes it forwards pulls byte for byte and keeps client connections alive" {
  start_proxy
  ss -Hltn "sport = :$PROXY_PORT" | grep -q "127.0.0.1:$PROXY_PORT" ||
    die "proxy does not listen on 127.0.0.1:$PROXY_PORT"
  local direct through
  direct=$(curl -fsS -m 30 -H "Accept: $OCI_MANIFEST" "http://$REGISTRY/v2/pod-test/layers/manifests/latest")
  through=$(proxy_get /v2/pod-test/layers/manifests/latest -f -H "Accept: $OCI_MANIFEST")
  [ "$direct" = "$through" ] || die "manifest through the proxy differs"
  proxy_get "$BLOB_PATH" -f -o "$BATS_TEST_TMPDIR/blob"
  [ "sha256:$(sha256_of "$BATS_TEST_TMPDIR/blob")" = "$LARGE" ] || die "blob through the proxy has the wrong digest"
  run curl -fsS -m 30 -I "http://$PROXY$BLOB_PATH"
  assert_contains "$output" "Content-Length: $(stat -c %s "$BATS_TEST_TMPDIR/blob")"
  # One curl, three URLs: one connection, three requests on it.
  run curl -fsS -m 30 -o /dev/null -o /dev/null -o /dev/null -w '%{num_connects}\n' \
    "http://$PROXY/v2/" "http://$PROXY/v2/_catalog" "http://$PROXY/v2/pod-test/layers/tags/list"
  [ "$(tr -d '\n' <<<"$output")" = 100 ] || die "expected one connection for three requests, got: $output"
  local conns
  conns=$(grep -E ' GET /v2/(|_catalog|pod-test/layers/tags/list) status=200' "$PROXY_LOG" |
    awk '{print $1}' | sort -u | wc -l)
  [ "$conns" -eq 1 ] || die "the proxy saw $conns connections: $(cat "$PROXY_LOG")"
}

@test "a push through the proxy works: upload Locations point back at the proxy" {
  registry_start "$BATS_TEST_TMPDIR/registry"  # our own: the fixture's registry stays as it is
  OWN_REGISTRY_PID=$REGISTRY_PID
  proxy_start "127.0.0.1:$REGISTRY_PORT" "$BATS_TEST_TMPDIR/proxy"
  PROXY=127.0.0.1:$PROXY_PORT
  run curl -fsS -m 30 -X POST -D - -o /dev/null "http://$PROXY/v2/own/probe/blobs/uploads/"
  assert_contains "$output" "Location: http://$PROXY/v2/own/probe/blobs/uploads/"
  "$POD_TESTS/support/push-layout" "$POD_TEST_IMAGES/layers" "$PROXY" own/layers
  run curl -fsS -m 30 "http://127.0.0.1:$REGISTRY_PORT/v2/own/layers/tags/list"
  assert_contains "$output" '"tags":["latest"]'
  curl -fsS -m 60 -o "$BATS_TEST_TMPDIR/blob" "http://127.0.0.1:$REGISTRY_PORT/v2/own/layers/blobs/$LARGE"
  [ "sha256:$(sha256_of "$BATS_TEST_TMPDIR/blob")" = "$LARGE" ] || die "pushed blob has the wrong digest"
  grep -q "PUT /v2/own/layers/blobs/uploads/.*digest=$LARGE status=201" "$PROXY_LOG" ||
    die "no upload of the large blob in the proxy log: $(cat "$PROXY_LOG")"
}

@test "--token-auth: 401 with a Bearer challenge, a token for the right credentials, then 200" {
  start_proxy --token-auth alice:s3cret
  run proxy_get /v2/ -D -
  assert_contains "$output" "HTTP/1.1 401"
  assert_contains "$output" "WWW-Authenticate: Bearer realm=\"http://$PROXY/token\",service=\"pod-test\""
  [[ $output != *scope=* ]] || die "the base endpoint's challenge names a scope: $output"
  assert_contains "$output" '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}'
  run proxy_get /v2/pod-test/layers/manifests/latest -D - -o /dev/null
  assert_contains "$output" 'scope="repository:pod-test/layers:pull"'

  local token_url="/token?service=pod-test&scope=repository:pod-test/layers:pull"
  run proxy_get "$token_url" -o /dev/null -w '%{http_code}'
  [ "$output" = 401 ] || die "token without credentials: $output"
  run proxy_get "$token_url" -u alice:wrong -o /dev/null -w '%{http_code}'
  [ "$output" = 401 ] || die "token with a wrong password: $output"
  local reply token
  reply=$(proxy_get "$token_url" -f -u alice:s3cret)
  assert_contains "$reply" '"expires_in":300'
  token=$(sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p' <<<"$reply")
  [ -n "$token" ] || die "no hex token in $reply"

  run proxy_get /v2/pod-test/layers/manifests/latest -f -H "Authorization: Bearer $token" -H "Accept: $OCI_MANIFEST"
  [ "$status" -eq 0 ] || die "manifest with the token: $output"
  assert_contains "$output" "$LARGE"
  run proxy_get /v2/ -H "Authorization: Bearer not-$token" -o /dev/null -w '%{http_code}'
  [ "$output" = 401 ] || die "a made-up token was accepted: $output"
  [ "$(grep -c 'action=token #' "$PROXY_LOG")" -eq 3 ] || die "expected 3 token requests: $(cat "$PROXY_LOG")"
  grep -q 'action=token #3 issued' "$PROXY_LOG" || die "third token request not issued: $(cat "$PROXY_LOG")"
  grep -q 'GET /v2/ status=401 .*action=401 bad token' "$PROXY_LOG" || die "bad token not logged: $(cat "$PROXY_LOG")"
}

@test "--drop-blob-after: the first download of each blob is cut, a ranged resume completes it" {
  local cut=524288
  start_proxy --drop-blob-after $cut
  run proxy_get "$BLOB_PATH" -o "$BATS_TEST_TMPDIR/part"
  [ "$status" -eq 18 ] || die "expected curl's partial-file error 18, got $status: $output"
  local got
  got=$(stat -c %s "$BATS_TEST_TMPDIR/part")
  [ "$got" -eq $cut ] || die "got $got bytes before the cut, expected $cut"
  run proxy_get "$BLOB_PATH" -r "$cut-" -o "$BATS_TEST_TMPDIR/rest" -w '%{http_code}'
  [ "$output" = 206 ] || die "resume: expected 206, got $output"
  cat "$BATS_TEST_TMPDIR/part" "$BATS_TEST_TMPDIR/rest" >"$BATS_TEST_TMPDIR/whole"
  [ "sha256:$(sha256_of "$BATS_TEST_TMPDIR/whole")" = "$LARGE" ] || die "cut + resume does not make the blob"
  proxy_get "$BLOB_PATH" -f -o "$BATS_TEST_TMPDIR/again"
  cmp -s "$BATS_TEST_TMPDIR/again" "$BATS_TEST_TMPDIR/whole" || die "a later full download differs"
  # Another blob (the 1 MB busybox layer) gets its own one cut.
  run proxy_get "/v2/pod-test/layers/blobs/${LAYERS[0]}" -o /dev/null
  [ "$status" -eq 18 ] || die "first download of another blob: curl status $status"
  grep -q "GET $BLOB_PATH status=200 bytes=$cut range=- action=dropped after $cut" "$PROXY_LOG" ||
    die "cut not logged: $(cat "$PROXY_LOG")"
  grep -q "GET $BLOB_PATH status=206 bytes=.* range=bytes=$cut- action=forwarded" "$PROXY_LOG" ||
    die "resume not logged: $(cat "$PROXY_LOG")"
  [ "$(grep -c 'action=dropped' "$PROXY_LOG")" -eq 2 ] || die "expected two cuts: $(cat "$PROXY_LOG")"
}

@test "--fail-first: the first N requests beyond /v2/ get 503 with Retry-After: 0" {
  start_proxy --fail-first 2
  run proxy_get /v2/ -o /dev/null -w '%{http_code}'
  [ "$output" = 200 ] || die "the base endpoint must not count: $output"
  run proxy_get /v2/pod-test/layers/tags/list -D -
  assert_contains "$output" "HTTP/1.1 503"
  assert_contains "$output" "Retry-After: 0"
  run proxy_get /v2/pod-test/layers/tags/list -o /dev/null -w '%{http_code}'
  [ "$output" = 503 ] || die "second request: $output"
  run proxy_get /v2/pod-test/layers/tags/list -f
  assert_contains "$output" '"name":"pod-test/layers"'
  grep -q 'action=503 injected (2/2)' "$PROXY_LOG" || die "503s not logged: $(cat "$PROXY_LOG")"
}

@test "--tamper-blobs: a blob comes back the same size with its middle byte flipped" {
  start_proxy --tamper-blobs
  curl -fsS -m 60 -o "$BATS_TEST_TMPDIR/good" "http://$REGISTRY$BLOB_PATH"
  proxy_get "$BLOB_PATH" -f -o "$BATS_TEST_TMPDIR/bad"
  local size
  size=$(stat -c %s "$BATS_TEST_TMPDIR/good")
  [ "$(stat -c %s "$BATS_TEST_TMPDIR/bad")" -eq "$size" ] || die "tampered blob has another size"
  [ "sha256:$(sha256_of "$BATS_TEST_TMPDIR/bad")" != "$LARGE" ] || die "tampered blob still matches its digest"
  run cmp -l "$BATS_TEST_TMPDIR/good" "$BATS_TEST_TMPDIR/bad"
  [ "${#lines[@]}" -eq 1 ] || die "expected one differing byte, got ${#lines[@]}"
  [ "$(awk '{print $1}' <<<"${lines[0]}")" -eq $((size / 2 + 1)) ] || die "flipped byte not in the middle: ${lines[0]}"
  run proxy_get /v2/pod-test/layers/manifests/latest -f -H "Accept: $OCI_MANIFEST"
  assert_contains "$output" "$LARGE"  # manifests pass untouched
}

@test "--slow-blobs: blob bodies are throttled, and a client that gives up is noticed" {
  start_proxy --slow-blobs 1000000
  local start end
  start=$(date +%s%N)
  proxy_get "$BLOB_PATH" -f -r 0-1999999 -o "$BATS_TEST_TMPDIR/head"
  end=$(date +%s%N)
  [ $(((end - start) / 1000000)) -ge 1800 ] || die "2 MB at 1 MB/s took only $(((end - start) / 1000000)) ms"
  [ "$(head -c 2000000 "$POD_TEST_IMAGES/layers/blobs/sha256/${LARGE#sha256:}" | sha256sum)" = \
    "$(sha256sum <"$BATS_TEST_TMPDIR/head")" ] || die "throttled bytes differ"
  run curl -sS -m 1 -o /dev/null "http://$PROXY$BLOB_PATH"
  [ "$status" -eq 28 ] || die "expected curl to time out (28), got $status"
  wait_for_log "GET $BLOB_PATH status=200 bytes=[0-9]+ range=- action=aborted after"
  start=$(date +%s%N)
  proxy_get /v2/pod-test/layers/manifests/latest -f -H "Accept: $OCI_MANIFEST" -o /dev/null
  end=$(date +%s%N)
  [ $(((end - start) / 1000000)) -lt 1000 ] || die "a manifest was throttled too"
}

@test "it refuses anything but loopback and stops cleanly on SIGTERM" {
  run "$POD_TEST_PROXY" --upstream 192.0.2.1:5000 --port-file "$BATS_TEST_TMPDIR/port"
  [ "$status" -eq 2 ] || die "non-loopback upstream: exit $status"
  assert_contains "$output" "only 127.0.0.1:PORT is allowed"
  run "$POD_TEST_PROXY" --upstream "localhost:${REGISTRY#*:}" --port-file "$BATS_TEST_TMPDIR/port"
  [ "$status" -eq 2 ] || die "a host name as upstream: exit $status"
  [ ! -e "$BATS_TEST_TMPDIR/port" ] || die "a refused proxy wrote a port file"

  start_proxy --slow-blobs 100000
  curl -sS -m 60 -o "$BATS_TEST_TMPDIR/partial" "http://$PROXY$BLOB_PATH" 2>/dev/null &
  local client=$!
  for _ in $(seq 1 50); do  # stop it mid-download: once the first bytes are in
    [ -s "$BATS_TEST_TMPDIR/partial" ] && break
    sleep 0.1
  done
  [ -s "$BATS_TEST_TMPDIR/partial" ] || die "the slow download did not start"
  kill -TERM "$PROXY_PID"
  for _ in $(seq 1 50); do
    kill -0 "$PROXY_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$PROXY_PID" 2>/dev/null && die "proxy still running 5 s after SIGTERM"
  local rc=0
  wait "$PROXY_PID" || rc=$?
  PROXY_PID=""
  [ "$rc" -eq 0 ] || die "proxy exited $rc on SIGTERM"
  wait "$client" || true
  [ "$(tail -1 "$PROXY_LOG")" = "# stopped" ] || die "log does not end with '# stopped': $(cat "$PROXY_LOG")"
}
