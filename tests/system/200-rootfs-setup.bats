#!/usr/bin/env bats
# The container's root filesystem (rootless/runtime/rootfs.hpp), set up for real by
# pod-test-rootfs-try in new namespaces on a busybox bundle: the spec's mounts, /dev, pivot_root,
# masked and read-only paths, the read-only root, and the rootless fallbacks.

load helpers

try_bin() { echo "$POD_LIBEXEC/tests/pod-test-rootfs-try"; }

# make_bundle DIR — a rootfs with a static busybox and its applets as relative symlinks.
make_bundle() {
  local dir=$1 applet
  file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' || skip "needs a static /bin/busybox (busybox-static)"
  mkdir -p "$dir"/rootfs/{bin,proc,dev,sys,tmp,etc}
  cp /bin/busybox "$dir/rootfs/bin/"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$dir/rootfs/bin/$applet"
  done
}

# try [EXPECTED_RC] [--spec-option…] -- COMMAND… — writes the bundle's config.json and runs it.
try() {
  local expected=0 opts=()
  case ${1:-} in
    [0-9]* | '?') expected=$1; shift ;;
  esac
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  "$(try_bin)" --spec "$BUNDLE" "${opts[@]}" -- "$@"
  run_tool "$(try_bin)" "$expected" "$BUNDLE"
}

# The kernel must let this user make a user namespace (or be root).
requires_userns() {
  [ "$(id -u)" -eq 0 ] && return 0
  unshare -Ur true 2>/dev/null || skip "unprivileged user namespaces are disabled on this kernel"
}

setup() {
  requires_userns
  BUNDLE="$BATS_TEST_TMPDIR/bundle"
  make_bundle "$BUNDLE"
}

@test "the spec's mounts are made inside the new root, in order" {
  try -- cat /proc/self/mountinfo
  local where
  for where in / /proc /dev /dev/pts /dev/shm /dev/mqueue /sys /sys/fs/cgroup; do
    echo "$output" | awk -v w="$where" '$5 == w {found=1} END {exit !found}' || die "no mount on $where"
  done
  # /dev before /dev/pts: the devpts mount's parent is the /dev tmpfs.
  local dev_id pts_parent
  dev_id=$(echo "$output" | awk '$5 == "/dev" {print $1; exit}')
  pts_parent=$(echo "$output" | awk '$5 == "/dev/pts" {print $2; exit}')
  [ "$dev_id" = "$pts_parent" ] || die "/dev/pts is not on the /dev tmpfs"
  # pivot_root dropped the old root: nothing of the host's tree is left.
  echo "$output" | awk '$5 == "/" {n++} END {exit n != 1}' || die "more than one mount on /"
}

@test "the container is pid 1 of its own pid namespace and has the spec's hostname" {
  try -- sh -c 'echo "pid=$$ host=$(hostname)"; test -e /etc/passwd-of-host || echo no-host-files'
  assert_contains "$output" "pid=1 host=rootfs-try"
  assert_contains "$output" "no-host-files"
}

@test "/dev has the default devices and links, and they work" {
  try -- sh -c 'ls /dev; echo x > /dev/null && echo null-ok; head -c 5 /dev/zero | wc -c; head -c 4 /dev/urandom | wc -c; for l in fd stdin stdout stderr ptmx; do readlink /dev/$l; done'
  local name
  for name in null zero full random urandom tty fd stdin stdout stderr ptmx pts shm mqueue; do
    echo "$output" | grep -qx "$name" || die "no /dev/$name"
  done
  assert_contains "$output" "null-ok"
  assert_contains "$output" $'5\n4'
  assert_contains "$output" $'/proc/self/fd\n/proc/self/fd/0\n/proc/self/fd/1\n/proc/self/fd/2\npts/ptmx'
}

@test "rootless, devices are the host's nodes bound on empty files" {
  requires rootless
  try -- sh -c 'grep -E " /dev/(null|tty) " /proc/self/mountinfo; stat -c "%t,%T" /dev/null'
  assert_contains "$output" " /dev/null "
  assert_contains "$output" " /dev/tty "
  assert_contains "$output" "1,3"
}

@test "as root, devices are made with mknod" {
  requires root
  try -- sh -c 'grep -c " /dev/null " /proc/self/mountinfo; stat -c "%t,%T %a %F" /dev/null /dev/tty'
  assert_contains "$output" $'0\n1,3 666 character special file\n5,0 666 character special file'
}

@test "masked paths read as nothing, read-only paths cannot be written" {
  try -- sh -c '
    n=0
    for p in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug; do
      [ -e "$p" ] || continue
      n=$((n + 1)); echo "masked $p: $(cat "$p" 2>/dev/null | wc -c) bytes"
    done
    echo "masked files: $n"
    [ -d /proc/acpi ] && echo "acpi entries: $(ls -A /proc/acpi | wc -l)"
    echo 1 > /proc/sys/kernel/domainname || echo proc-sys-ro
    echo h > /proc/sysrq-trigger || echo sysrq-ro
    grep " /proc/sys " /proc/self/mountinfo'
  if echo "$output" | grep -q "masked files: 0"; then
    skip "this kernel has none of the masked /proc files"
  fi
  echo "$output" | grep "^masked /" | grep -qv ": 0 bytes" && die "a masked file has content"
  if echo "$output" | grep -q "acpi entries"; then assert_contains "$output" "acpi entries: 0"; fi
  assert_contains "$output" "proc-sys-ro"
  assert_contains "$output" "sysrq-ro"
  echo "$output" | awk '$5 == "/proc/sys" && $6 ~ /^ro/ {found=1} END {exit !found}' || die "/proc/sys is not a read-only mount"
}

@test "a read-only root cannot be written; without root.readonly it can" {
  try -- sh -c 'touch /x 2>&1 || echo root-ro; echo x > /dev/shm/x && echo shm-rw'
  assert_contains "$output" "Read-only file system"
  assert_contains "$output" "root-ro"
  assert_contains "$output" "shm-rw"
  try --rw-root -- sh -c 'touch /x && echo root-rw'
  assert_contains "$output" "root-rw"
}

@test "/sys is read-only, recursively" {
  try -- sh -c 'grep -E " /sys(/fs/cgroup)? " /proc/self/mountinfo; mkdir /sys/fs/cgroup/pids/x 2>&1 || echo cgroup-ro'
  echo "$output" | awk '$5 == "/sys" && $6 !~ /^ro/ {bad=1} END {exit bad}' || die "/sys is writable"
  [ -d /sys/fs/cgroup/pids ] && assert_contains "$output" "cgroup-ro"
  true
}

@test "rootless without a network namespace, sysfs falls back to a read-only bind of the host's /sys" {
  requires rootless
  export POD_LOG_LEVEL=debug
  try --sysfs --no-netns -- sh -c 'grep " /sys " /proc/self/mountinfo; ls /sys/class/net'
  assert_contains "$output" "mounting \`sysfs\` on \`/sys\`: Operation not permitted; binding the host's \`/sys\` read-only instead"
  echo "$output" | awk '$5 == "/sys" && $6 ~ /^ro/ {found=1} END {exit !found}' || die "/sys is not read-only"
  # With its own network namespace the container may mount sysfs itself.
  try --sysfs -- sh -c 'ls /sys/class/net'
  [ "$(echo "$output" | grep -v '^debug:' | grep -vx '$ .*' | tr -d '\n')" = lo ] || die "expected only lo"
}

@test "a read-only bind of a nosuid,nodev,noexec mount keeps the flags a user namespace locks" {
  # An outer user namespace mounts tmpfs with nosuid,nodev(,noexec); the container's nested user
  # namespace gets them locked, as a rootless container gets the host's. `ro` alone on the bind
  # and root.readonly both need a remount that keeps them (EPERM otherwise).
  unshare -Urm true 2>/dev/null || skip "unshare -Urm is refused here"
  local t=$BATS_TEST_TMPDIR/locked
  mkdir -p "$t/fs" "$t/data"
  run_tool unshare -Urm --propagation private sh -c "
    set -e
    mount -t tmpfs -o nosuid,nodev tmpfs '$t/fs'
    mount -t tmpfs -o nosuid,nodev,noexec tmpfs '$t/data'
    echo hello > '$t/data/f'
    cp -a '$BUNDLE' '$t/fs/bundle'
    export POD_TEST_FORCE_USERNS=1 POD_LOG_LEVEL=debug
    '$(try_bin)' --spec '$t/fs/bundle' --bind='$t/data:/data:ro' -- sh -c '
      cat /data/f; echo x > /data/g || echo data-ro; touch /y || echo root-ro
      grep -E \" /(data)? \" /proc/self/mountinfo'
    '$(try_bin)' '$t/fs/bundle'"
  assert_contains "$output" "hello"
  assert_contains "$output" "data-ro"
  assert_contains "$output" "root-ro"
  assert_contains "$output" "remounting \`/data\`: EPERM, retrying with the flags the mount has"
  echo "$output" | awk '$5 == "/data" && $6 ~ /^ro,nosuid,nodev,noexec/ {found=1} END {exit !found}' ||
    die "/data is not ro,nosuid,nodev,noexec"
}

@test "a symlink in the rootfs cannot send a mount target outside it" {
  check_symlinks_stay_inside
}

@test "a symlink in the rootfs cannot send a mount target outside it (openat2 fallback walker)" {
  export POD_TEST_NO_OPENAT2=1
  check_symlinks_stay_inside
}

check_symlinks_stay_inside() {
  local outside=$BATS_TEST_TMPDIR/outside data=$BATS_TEST_TMPDIR/data
  mkdir -p "$outside" "$data"
  echo inside-data > "$data/f"
  ln -s "$outside/made" "$BUNDLE/rootfs/escape"  # absolute: must resolve inside the rootfs
  ln -s ../../../../../../../.. "$BUNDLE/rootfs/up"
  try --bind="$data:/escape" --bind="$data:/up/climbed" -- sh -c 'cat /escape/f /climbed/f'
  assert_contains "$output" $'inside-data\ninside-data'
  [ ! -e "$outside/made" ] || die "a directory was made outside the rootfs"
  [ -d "$BUNDLE/rootfs$outside/made" ] || die "the target was not made inside the rootfs"
  [ -d "$BUNDLE/rootfs/climbed" ] || die "\`..\` was not clamped at the rootfs"
}

@test "a failing mount is named with the reason" {
  try 125 --bind=/nonexistent/source:/x -- true
  assert_contains "$output" "rootfs-try: Error: mounting \`/nonexistent/source\` on \`/x\`: stat bind source \`/nonexistent/source\`: No such file or directory"
}
