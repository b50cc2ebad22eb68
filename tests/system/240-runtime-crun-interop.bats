#!/usr/bin/env bats
# pod-runtime and crun side by side: the same bundle gives the same observable results, so
# an engine can swap one for the other. Skipped when crun is not installed.

load helpers
load runtime

setup() {
  command -v crun >/dev/null || skip "crun is not installed"
  make_bundle "$BATS_TEST_TMPDIR/probe" 'true'
  if ! out=$(crun --root "$BATS_TEST_TMPDIR/crun-probe" run -b "$BATS_TEST_TMPDIR/probe" probe 2>&1 </dev/null); then
    case $out in
      *hybrid*) skip "crun refuses this cgroup hybrid host: run .ci/setup as root (it moves cgroup2's controllers)" ;;
      *) die "crun cannot run the probe bundle: $out" ;;
    esac
  fi
}

# What a container can see of itself, printed in a stable order. Left out, as differences of
# taste: crun's /dev/core link (runc makes none), and the mounts under /sys/fs/cgroup (crun
# binds each v1 controller's own cgroup, pod-runtime the host's tree read-only).
readonly VIEW='echo pid=$$; hostname; cat /proc/self/uid_map /proc/self/gid_map
grep -E "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):" /proc/self/status; ulimit -n; umask
cat /proc/timer_list 2>/dev/null | wc -c; cat /proc/kcore 2>/dev/null | wc -c
echo 1 2>/dev/null > /proc/sys/kernel/domainname && echo sysctl-writable || echo sysctl-read-only
touch /etc/x 2>/dev/null && echo root-writable || echo root-read-only
set -- /proc/[0-9]*; echo "processes: $#"; id; ls /dev | grep -vx core | tr "\n" " "; echo; ls /dev/pts | tr "\n" " "; echo
cut -d" " -f5 /proc/self/mountinfo | grep -v "^/sys/fs/cgroup/" | sort -u | tr "\n" " "; echo; exit 3'

@test "the same bundle under pod-runtime and crun: same view from inside, same exit code" {
  make_bundle "$BATS_TEST_TMPDIR/b" "$VIEW"
  run -3 "$RUNTIME" --root "$BATS_TEST_TMPDIR/pod-state" run -b "$BATS_TEST_TMPDIR/b" same </dev/null
  local ours=$output
  run -3 crun --root "$BATS_TEST_TMPDIR/crun-state" run -b "$BATS_TEST_TMPDIR/b" same </dev/null
  local theirs=$output
  echo "pod-runtime:"; echo "$ours"; echo "crun:"; echo "$theirs"
  [ "$ours" = "$theirs" ] || die "the views differ: $(diff <(echo "$ours") <(echo "$theirs"))"
}

@test "create, state, exec, kill, delete: pod-runtime and crun agree" {
  make_bundle "$BATS_TEST_TMPDIR/b" 'sleep 100'
  local rt out=()
  for rt in "$RUNTIME" crun; do
    local root="$BATS_TEST_TMPDIR/state-$(basename "$rt")"
    "$rt" --root "$root" create -b "$BATS_TEST_TMPDIR/b" c1 </dev/null >/dev/null 2>&1
    out+=("$("$rt" --root "$root" state c1 | jq -r .status)")
    "$rt" --root "$root" start c1
    out+=("$("$rt" --root "$root" state c1 | jq -r .status)")
    out+=("$("$rt" --root "$root" exec c1 sh -c 'id -u; [ "$(readlink /proc/1/ns/pid)" = "$(readlink /proc/self/ns/pid)" ] && echo same-pid-ns')")
    "$rt" --root "$root" kill c1 KILL
    for _ in $(seq 1 50); do [ "$("$rt" --root "$root" state c1 | jq -r .status)" = stopped ] && break; sleep 0.1; done
    out+=("$("$rt" --root "$root" state c1 | jq -r .status)")
    "$rt" --root "$root" delete c1
    out+=("$("$rt" --root "$root" state c1 >/dev/null 2>&1; echo "state-after-delete=$?")")
  done
  printf '%s\n' "${out[@]}"
  local n=$((${#out[@]} / 2)) i
  for ((i = 0; i < n; i++)); do
    [ "${out[i]}" = "${out[i + n]}" ] || die "step $i: pod-runtime says '${out[i]}', crun '${out[i + n]}'"
  done
}
