# Helpers of the pod-runtime system tests (2xx-runtime-*.bats): bundles made from the busybox
# test image, edited with jq, and the runtime run with its state under the test's tmpdir.
#   load helpers
#   load runtime

RUNTIME=${RUNTIME:-$POD_LIBEXEC/pod-runtime}

# RT_create [RC] ARGS... — create leaves the container's process holding create's stdio (as
# runc does): give it a file, not bats's output pipe, or bats waits for the container to end.
# The container's output lands in $BATS_TEST_TMPDIR/create.out.
RT_create() {
  local expected=0
  case ${1:-} in
    [0-9]*) expected=$1; shift ;;
  esac
  local rc=0
  "$RUNTIME" --root "$BATS_TEST_TMPDIR/state" create "$@" </dev/null >"$BATS_TEST_TMPDIR/create.out" 2>&1 || rc=$?
  output=$(cat "$BATS_TEST_TMPDIR/create.out")
  echo "$output"
  [ "$rc" -eq "$expected" ] || die "create exited $rc, expected $expected"
}

# RT [RC|?] ARGS... — the runtime under run_tool, with this test's state directory.
RT() {
  local expected=()
  case ${1:-} in
    [0-9]* | '?') expected=("$1"); shift ;;
  esac
  run_tool "$RUNTIME" "${expected[@]}" --root "$BATS_TEST_TMPDIR/state" "$@"
}

# make_bundle DIR SCRIPT — a bundle whose process is `sh -c SCRIPT`, no terminal: rootless
# (`spec --rootless`) for a user, the plain spec as root.
make_bundle() {
  local dir=$1 script=$2 blob
  mkdir -p "$dir/rootfs"
  blob=$(sed -n 1p "$POD_TEST_IMAGES/busybox/push-plan" | cut -d: -f2)
  tar -xzf "$POD_TEST_IMAGES/busybox/blobs/sha256/$blob" -C "$dir/rootfs" 2>/dev/null || true
  if [ "$(id -u)" -eq 0 ]; then
    (cd "$dir" && "$POD_LIBEXEC/pod-runtime" spec)
  else
    (cd "$dir" && "$POD_LIBEXEC/pod-runtime" spec --rootless)
  fi
  edit_bundle "$dir" '.process.terminal = false | .process.args = ["sh", "-c", $script]' --arg script "$script"
}

# edit_bundle DIR JQ_FILTER [jq args...] — rewrites DIR/config.json through jq.
edit_bundle() {
  local dir=$1 filter=$2
  shift 2
  jq "$@" "$filter" "$dir/config.json" >"$dir/config.json.new" && mv "$dir/config.json.new" "$dir/config.json"
}

# wait_status ID STATUS — polls `state` for up to 5 s.
wait_status() {
  local i
  for i in $(seq 1 50); do
    "$RUNTIME" --root "$BATS_TEST_TMPDIR/state" state "$1" 2>/dev/null | grep -q "\"status\": \"$2\"" && return 0
    sleep 0.1
  done
  die "container $1 did not become $2"
}

# The uid_map line the container's root has: the user outside when rootless, all ids as root.
expected_root_map() {
  if [ "$(id -u)" -eq 0 ]; then echo "0          0 4294967295"; else echo "0       $(id -u)          1"; fi
}
