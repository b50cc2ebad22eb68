#!/usr/bin/env bats
# Resource limits through the cgroup the user may write (.ci/setup gives podtest v1 subtrees;
# root owns the hierarchy). Where the user has none, asking for a limit is an error that says
# why — checked as podtest-noids.

load helpers

setup_file() { setup_container_file; }
teardown() { remove_all_containers; }

delegated() { # CONTROLLER — true when pod info lists it as writable
  pod info --format json | jq -e --arg c "$1" '.host.cgroups.delegated | (.v1[$c] // (.v2.controllers // [] | index($c))) != null' >/dev/null
}

@test "--memory: a memory hog is killed at the limit (137) and inspect says OOMKilled" {
  delegated memory || skip "the memory controller is not delegated to $(id -un)"
  run_pod 137 run --name hog --memory 30m "$IMAGE" sh -c 'x=$(head -c 200000000 /dev/zero | tr "\0" a); echo survived'
  [[ "$output" != *survived* ]] || die "the hog was not stopped"
  run_pod inspect hog
  echo "$output" | jq -e '.[0].State.OOMKilled == true and .[0].State.ExitCode == 137'
  run_pod run --name calm --memory 30m "$IMAGE" true
  run_pod inspect calm
  echo "$output" | jq -e '.[0].State.OOMKilled == false'
}

@test "--pids-limit: a fork loop stops at the limit" {
  delegated pids || skip "the pids controller is not delegated to $(id -un)"
  # busybox sh gives up (exit 2) at the first fork the limit refuses.
  run_pod 2 run --rm --pids-limit 10 "$IMAGE" sh -c 'for i in $(seq 1 40); do sleep 5 & done; echo all-forty-started'
  assert_contains "$output" "can't fork"
  [[ "$output" != *all-forty-started* ]] || die "40 processes started under a limit of 10"
}

@test "--cpus 0.5 holds a busy loop near half a CPU" {
  delegated cpu || skip "the cpu controller is not delegated to $(id -un)"
  # The children's CPU time (fields 16 and 17 of the shell's stat, in 1/100 s) over 3 s.
  run_pod run --rm --cpus 0.5 "$IMAGE" sh -c 'timeout 3 sh -c "while :; do :; done" 2>/dev/null; echo "ticks: $(cut -d" " -f16,17 /proc/$$/stat)"'
  local line
  line=$(printf '%s\n' "${lines[@]}" | grep '^ticks: ')  # the shell may also report the killed loop
  local ticks=$(( $(echo "${line#ticks: }" | tr ' ' '+') ))
  echo "CPU ticks over 3 s: $ticks"
  [ "$ticks" -ge 60 ] && [ "$ticks" -le 230 ] || die "$ticks ticks: not near 150 (half of 3 s)"
}

@test "cgroups vanish with their container" {
  delegated pids || skip "the pids controller is not delegated to $(id -un)"
  run_pod run -d --name limited --pids-limit 50 "$IMAGE" sleep 60
  local id=${lines[-1]}
  find /sys/fs/cgroup -maxdepth 4 -type d -name "pod-$id" | grep -q . || die "no cgroup for the container"
  run_pod rm -f limited
  ! find /sys/fs/cgroup -maxdepth 4 -type d -name "pod-$id" | grep -q . || die "its cgroup is left"
}

@test "a limit without a delegated controller is refused, saying why, and nothing is left" {
  delegated memory && skip "the memory controller is delegated to $(id -un)"
  run_pod 125 run --rm --memory 20m "$IMAGE" true
  assert_contains "$output" "memory cgroup controller"
  assert_contains "$output" "pod info"
  run_pod ps -a -q
  [ -z "$output" ] || die "left: $output"
}
