#!/usr/bin/env bats
# Registries that want tokens, drop connections, answer 503 or go away mid-pull: the real
# registry behind pod-test-registry-proxy, which adds what a registry won't do on demand.

load helpers

TLS=--tls-verify=false

setup() {
  setup_proxy_test
}

teardown() { proxy_stop "$PROXY_PID"; }

start_proxy() { proxy_start "$REGISTRY" "$BATS_TEST_TMPDIR/proxy" "$@"; }

@test "a bearer-token registry: anonymous is refused, --creds works, a wrong password is refused" {
  start_proxy --token-auth alice:s3cret
  run_pod 125 pull $TLS "127.0.0.1:$PROXY_PORT/pod-test/busybox"
  assert_contains "$output" "authentication required"
  run_pod 125 pull $TLS --creds alice:wrong "127.0.0.1:$PROXY_PORT/pod-test/busybox"
  assert_contains "$output" "invalid username or password"
  run_pod pull -q $TLS --creds alice:s3cret "127.0.0.1:$PROXY_PORT/pod-test/busybox"
  grep -q 'GET /token' "$PROXY_LOG" || die "no token was asked for: $(cat "$PROXY_LOG")"
}

@test "login checks and stores credentials (0600), pull uses them, logout removes them" {
  start_proxy --token-auth alice:s3cret
  local reg="127.0.0.1:$PROXY_PORT" auth="$XDG_RUNTIME_DIR/containers/auth.json"
  run_pod 125 login $TLS -u alice -p nope "$reg"
  assert_contains "$output" "invalid username or password"
  [ ! -e "$auth" ] || die "a failed login stored credentials"
  run_tool bash -c "echo s3cret | '$POD_BIN/pod' login $TLS -u alice --password-stdin '$reg'"
  assert_contains "$output" "Login Succeeded!"
  [ "$(stat -c %a "$auth")" = 600 ] || die "auth.json mode $(stat -c %a "$auth")"
  run_pod pull -q $TLS "$reg/pod-test/busybox"
  run_pod logout "$reg"
  assert_contains "$output" "Removed login credentials for $reg"
  run_pod 125 logout "$reg"
  assert_contains "$output" "not logged into $reg"
  run_pod rmi -a
  run_pod 125 pull $TLS "$reg/pod-test/busybox"
  assert_contains "$output" "authentication required"
}

@test "a blob cut off half-way is resumed with a Range request" {
  start_proxy --drop-blob-after 3000000
  run_pod pull -q $TLS "127.0.0.1:$PROXY_PORT/pod-test/layers"
  grep -q 'dropped' "$PROXY_LOG" || die "the proxy dropped nothing: $(cat "$PROXY_LOG")"
  grep -q 'range=bytes=3000000-' "$PROXY_LOG" || die "no Range request after the cut: $(cat "$PROXY_LOG")"
}

@test "503s are retried with backoff" {
  start_proxy --fail-first 3
  run_pod pull -q $TLS "127.0.0.1:$PROXY_PORT/pod-test/busybox"
  [ "$(grep -c '503' "$PROXY_LOG")" -ge 3 ] || die "expected 3 injected 503s: $(cat "$PROXY_LOG")"
}

@test "a pull killed mid-blob leaves a consistent store; the next pull completes from the partial blob" {
  start_proxy --slow-blobs 4000000
  # The binary itself, not the pod() function: $! must be pod's pid for kill -9 to hit it.
  "$POD_BIN/pod" $(pod_store_args) pull -q $TLS "127.0.0.1:$PROXY_PORT/pod-test/layers" >"$BATS_TEST_TMPDIR/out" 2>&1 &
  local pid=$!
  local partial="$XDG_DATA_HOME/pod/blobs/partial" i
  for i in $(seq 1 100); do
    [ -n "$(find "$partial" -type f -size +1M 2>/dev/null | grep -v lock)" ] && break
    sleep 0.1
  done
  kill -9 "$pid"
  wait "$pid" || true
  # Everything pod started goes with it (the command inside the user namespace too).
  local i
  for i in $(seq 1 50); do
    pgrep -u "$(id -u)" -f "pod-test/layers" >/dev/null || break
    sleep 0.1
  done
  ! pgrep -u "$(id -u)" -f "pod-test/layers" >/dev/null || die "a pod process outlived the killed pull"
  [ -z "$(ls "$XDG_DATA_HOME/pod/images")" ] || die "an image record exists after the kill"
  run_pod pull -q $TLS "127.0.0.1:$PROXY_PORT/pod-test/layers"
  grep -q 'range=bytes=[1-9]' "$PROXY_LOG" || die "the second pull started over: $(grep blobs "$PROXY_LOG")"
  local left
  left=$(find "$XDG_DATA_HOME/pod/layers" "$XDG_DATA_HOME/pod/images" -maxdepth 1 -name '.tmp-*')
  [ -z "$left" ] || die "temp dirs left: $left"
}

@test "a registry that goes away mid-pull: retried, then a clear error, nothing recorded" {
  start_proxy --slow-blobs 2000000
  "$POD_BIN/pod" $(pod_store_args) pull -q $TLS "127.0.0.1:$PROXY_PORT/pod-test/layers" >"$BATS_TEST_TMPDIR/out" 2>&1 &
  local pid=$!
  sleep 1
  proxy_stop "$PROXY_PID"
  PROXY_PID=""
  local rc=0
  wait "$pid" || rc=$?
  [ "$rc" -eq 125 ] || die "exit code $rc: $(cat "$BATS_TEST_TMPDIR/out")"
  assert_contains "$(cat "$BATS_TEST_TMPDIR/out")" "Error: pulling"
  [ -z "$(ls "$XDG_DATA_HOME/pod/images")" ] || die "an image record exists"
}
