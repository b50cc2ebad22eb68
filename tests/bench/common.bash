# Shared by the benchmarks: a registry of their own on 127.0.0.1, a scratch dir, timing.
# Benchmarks print figures; they are not tests and assert nothing about speed.

bench_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench_root=$(cd "$bench_here/../.." && pwd)
source "$bench_root/tests/support/registry.bash"

BUILD=${BUILD:-$bench_root/build}
MKIMAGE=${MKIMAGE:-$BUILD/bin/pod-test-mkimage}
POD=${POD:-$BUILD/bin/pod}

bench_scratch() {
  BENCH_DIR=$(mktemp -d /tmp/pod-bench.XXXXXX)
  chmod 0755 "$BENCH_DIR"
  mkdir -p "$BENCH_DIR/results"
  [ "$(id -u)" -ne 0 ] || chown "${POD_TEST_USER:-podtest}:" "$BENCH_DIR"
  REGISTRY_PID=""
  trap 'registry_stop "$REGISTRY_PID"; as_bench_user "$POD" unshare rm -rf "$BENCH_DIR" 2>/dev/null; rm -rf "$BENCH_DIR"' EXIT
}

# as_bench_user CMD... — benchmarks run as the unprivileged user, as users run pod.
as_bench_user() {
  if [ "$(id -u)" -ne 0 ]; then
    "$@"
  else
    local user=${POD_TEST_USER:-podtest}
    runuser -u "$user" -- env -i HOME="$(getent passwd "$user" | cut -d: -f6)" \
      XDG_RUNTIME_DIR="/run/user/$(id -u "$user")" PATH=/usr/local/bin:/usr/bin:/bin "$@"
  fi
}

# measure LABEL CMD... — wall seconds and peak RSS (KiB) of one run, appended to $BENCH_DIR/LABEL.
measure() {
  local label=$1
  shift
  as_bench_user /usr/bin/time -f "%e %M" -o "$BENCH_DIR/time.out" "$@" >/dev/null 2>"$BENCH_DIR/err.out" || {
    echo "$label failed:" >&2
    tail -3 "$BENCH_DIR/err.out" >&2
    return 1
  }
  tail -1 "$BENCH_DIR/time.out" >>"$BENCH_DIR/results/$label"
}

# median_of LABEL COLUMN — the median of a column of $BENCH_DIR/LABEL.
median_of() {
  sort -n -k"$2" "$BENCH_DIR/results/$1" | awk -v c="$2" '{v[NR]=$c} END {print v[int((NR+1)/2)]}'
}

report() { # label [baseline_label]
  local wall rss
  wall=$(median_of "$1" 1)
  rss=$(median_of "$1" 2)
  if [ -n "${2:-}" ] && [ -s "$BENCH_DIR/results/$2" ]; then
    local base
    base=$(median_of "$2" 1)
    printf '%-34s %8.2f s  %8d KiB  (%.2fx of %s)\n' "$1" "$wall" "$rss" "$(echo "$wall / $base" | bc -l)" "$2"
  else
    printf '%-34s %8.2f s  %8d KiB\n' "$1" "$wall" "$rss"
  fi
}

# make_big_image — a ~100 MB image of 6 layers (busybox, then 5 of 19 MB random data and 300
# small files each) pushed to a registry of the bench's own: sets ref (and REGISTRY_PORT).
make_big_image() {
  local spec="$BENCH_DIR/big.spec" i f
  {
    echo "format oci"; echo "compression gzip"; echo "platform linux/amd64"
    echo "layer base"; echo "file bin/busybox 0755 0 0 host:/bin/busybox"
    for i in 1 2 3 4 5; do
      echo "layer data $i"
      echo "dir data$i 0755 0 0"
      echo "file data$i/random.bin 0644 0 0 random:$((19 * 1000 * 1000)):$i"
      for f in $(seq 1 300); do echo "file data$i/small-$f.txt 0644 $((f % 3 * 1000)) 0 text:file\\s$f\\sof\\slayer\\s$i\\n"; done
      echo "file data$i/text.txt 0644 0 0 host:/usr/share/common-licenses/GPL-3"
    done
  } >"$spec"
  "$MKIMAGE" "$BENCH_DIR/image" "$spec" >/dev/null
  registry_start "$BENCH_DIR/registry"
  "$bench_root/tests/support/push-layout" "$BENCH_DIR/image" "127.0.0.1:$REGISTRY_PORT" bench/big
  ref="127.0.0.1:$REGISTRY_PORT/bench/big:latest"
}

# bench_containers_setup — the busybox test image in a registry of the bench's own, pod
# installed in the scratch dir, and pod and podman (when installed) with it pulled: sets
# image, pod_cmd and podman_cmd; has_podman tells whether podman is there.
has_podman() { command -v podman >/dev/null; }
bench_containers_setup() {
  MKIMAGE="$BUILD/bin/pod-test-mkimage" "$bench_root/tests/support/make-test-images" "$BENCH_DIR/images" >/dev/null
  registry_start "$BENCH_DIR/registry"
  "$bench_root/tests/support/push-layout" "$BENCH_DIR/images/busybox" "127.0.0.1:$REGISTRY_PORT" bench/busybox
  image="127.0.0.1:$REGISTRY_PORT/bench/busybox:latest"
  mkdir -p "$BENCH_DIR/prefix"
  cmake --install "$BUILD" --prefix "$BENCH_DIR/prefix" >/dev/null
  cmake --install "$BUILD" --prefix "$BENCH_DIR/prefix" --component tests >/dev/null
  chmod -R a+rX "$BENCH_DIR"
  [ "$(id -u)" -ne 0 ] || chown -R "${POD_TEST_USER:-podtest}:" "$BENCH_DIR"

  pod_cmd=("$BENCH_DIR/prefix/bin/pod" --root "$BENCH_DIR/pod-store" --runroot "$BENCH_DIR/pod-run")
  podman_cmd=(podman --root "$BENCH_DIR/podman-store" --runroot "$BENCH_DIR/podman-run" --storage-driver overlay
              --cgroup-manager cgroupfs --events-backend file)

  as_bench_user "${pod_cmd[@]}" pull -q --tls-verify=false "$image" >/dev/null
  has_podman && as_bench_user "${podman_cmd[@]}" pull -q --tls-verify=false "$image" >/dev/null
}

# time_loop LABEL CMD... — RUNS runs in one process as the bench user, ms per run.
time_loop() {
  local label=$1
  shift
  as_bench_user bash -c '
    runs=$1; shift
    "$@" >/dev/null 2>&1 || { echo "failed: $("$@" 2>&1 | tail -2)" >&2; exit 1; }
    for i in $(seq 1 "$runs"); do s=$EPOCHREALTIME; "$@" >/dev/null 2>&1; e=$EPOCHREALTIME; echo "$s $e"; done' \
    _ "$runs" "$@" | awk '{ printf "%.3f\n", ($2 - $1) * 1000 }' >"$BENCH_DIR/results/$label" || rm -f "$BENCH_DIR/results/$label"
}
median_ms() { sort -n "$BENCH_DIR/results/$1" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ratio_line() { # label baseline
  if [ -s "$BENCH_DIR/results/$1" ] && [ -s "$BENCH_DIR/results/$2" ]; then
    printf '  %-30s %9.1f ms   %-30s %9.1f ms   ratio %.2f\n' "$1" "$(median_ms "$1")" "$2" "$(median_ms "$2")" \
      "$(echo "$(median_ms "$1") / $(median_ms "$2")" | bc -l)"
  elif [ -s "$BENCH_DIR/results/$1" ]; then
    printf '  %-30s %9.1f ms   (%s not measured)\n' "$1" "$(median_ms "$1")" "$2"
  fi
}

