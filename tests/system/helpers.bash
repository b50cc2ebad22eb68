# Shared helpers of the system tests (bats). Every test file starts with:
#   load helpers
# Each file gets its own store under $BATS_FILE_TMPDIR, so files can run in parallel.

bats_require_minimum_version 1.5.0

die() {
  echo "# FAIL: $*" >&2
  return 1
}

# run_pod [EXPECTED_RC|'?'] ARGS... — echoes the command, runs $POD_BIN/pod under a timeout,
# and checks the exit code (0 unless given; '?' accepts any). Output in $output, code in $status.
run_tool() {
  local tool=$1
  shift
  local expected=0
  case ${1:-} in
    [0-9]* | '?') expected=$1; shift ;;
  esac
  echo "\$ $tool $*"
  if [ "$expected" = '?' ]; then
    run timeout --kill-after=10 "${POD_TEST_TIMEOUT:-120}" "$tool" "$@"
  else
    run "-$expected" timeout --kill-after=10 "${POD_TEST_TIMEOUT:-120}" "$tool" "$@"
  fi
  echo "$output"
  if [ "$expected" != '?' ] && [ "$status" -ne "$expected" ]; then
    die "exit code $status from '$tool $*', expected $expected"
  fi
}

# Root's default store is the system's (/var/lib/pod): tests as root use their own.
pod_store_args() { [ "$(id -u)" -ne 0 ] || echo "--root $XDG_DATA_HOME/pod"; }

run_pod() {
  local expected=()
  case ${1:-} in
    [0-9]* | '?') expected=("$1"); shift ;;
  esac
  run_tool "$POD_BIN/pod" "${expected[@]}" $(pod_store_args) "$@"
}

# pod without run's bookkeeping, for background jobs.
pod() { "$POD_BIN/pod" $(pod_store_args) "$@"; }

# requires root|rootless|subids|tun|fuse — skips the test with the reason when not met.
requires() {
  local need
  for need in "$@"; do
    case $need in
      root) [ "$(id -u)" -eq 0 ] || skip "needs root" ;;
      rootless) [ "$(id -u)" -ne 0 ] || skip "needs an unprivileged user" ;;
      subids) [ "$(id -u)" -eq 0 ] || grep -q "^$(id -un):" /etc/subuid || skip "needs subordinate ids" ;;
      tun) [ -r /dev/net/tun ] && [ -w /dev/net/tun ] || skip "needs /dev/net/tun usable by $(id -un)" ;;
      fuse) [ -r /dev/fuse ] && [ -w /dev/fuse ] || skip "needs /dev/fuse usable by $(id -un)" ;;
      *) die "requires: unknown need $need" ;;
    esac
  done
}

# assert_contains HAYSTACK NEEDLE
assert_contains() {
  case $1 in
    *"$2"*) return 0 ;;
  esac
  die "expected to find '$2' in: $1"
}

setup_file() {
  export XDG_DATA_HOME="$BATS_FILE_TMPDIR/data"
  export XDG_CONFIG_HOME="$BATS_FILE_TMPDIR/config"
  mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
}

# For the container tests: this file's own store with the busybox test image pulled, in
# $IMAGE; and no container left behind by a test.
setup_container_file() {
  export XDG_DATA_HOME="$BATS_FILE_TMPDIR/data"
  mkdir -p "$XDG_DATA_HOME"
  export IMAGE="$REGISTRY/pod-test/busybox"
  pod pull -q --tls-verify=false "$IMAGE" >/dev/null
}
# For tests that put pod-test-registry-proxy in front of the registry: a store and runtime dir
# of the test's own; teardown stops the proxy with proxy_stop "$PROXY_PID".
setup_proxy_test() {
  source "$POD_TESTS/support/registry.bash"
  export POD_TEST_PROXY="$POD_LIBEXEC/tests/pod-test-registry-proxy"
  export XDG_DATA_HOME="$BATS_TEST_TMPDIR/data" XDG_RUNTIME_DIR="$BATS_TEST_TMPDIR/run"
  mkdir -p "$XDG_DATA_HOME" && mkdir -m 0700 "$XDG_RUNTIME_DIR"
  PROXY_PID=""
}

remove_all_containers() { pod rm -af >/dev/null 2>&1 || true; }
