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

cgroup_file() { # ID FILE — the container's cgroup file, from whichever hierarchy has it
  find /sys/fs/cgroup -maxdepth 5 -path "*/pod-$1/$2" 2>/dev/null | head -1
}

@test "pids: Podman's default limit of 2048 where the controller is delegated; --pids-limit -1 lifts it" {
  delegated pids || skip "the pids controller is not delegated to $(id -un)"
  run_pod run -d --name dflt "$IMAGE" sleep 60
  local id=${lines[-1]}
  [ "$(cat "$(cgroup_file "$id" pids.max)")" = 2048 ] || die "pids.max: $(cat "$(cgroup_file "$id" pids.max)")"
  run_pod inspect dflt
  echo "$output" | jq -e '.[0].HostConfig.PidsLimit == 2048'
  run_pod run -d --name unlimited --pids-limit -1 "$IMAGE" sleep 60
  id=${lines[-1]}
  [ "$(cat "$(cgroup_file "$id" pids.max)")" = max ]
}

@test "stats: plausible CPU, memory and pids of a busy container, as JSON and as a table" {
  delegated memory || skip "the memory controller is not delegated to $(id -un)"
  run_pod run -d --name busy --memory 64m "$IMAGE" sh -c 'while :; do :; done'
  sleep 2
  run_pod stats --no-stream --format json busy
  echo "$output" | jq -e '.[0].name == "busy" and .[0].pids == "1"'
  echo "$output" | jq -e '.[0].mem_usage | endswith("/ 67.11MB")'
  local cpu
  cpu=$(echo "$output" | jq -r '.[0].avg_cpu | rtrimstr("%") | tonumber | floor')
  [ "$cpu" -ge 30 ] && [ "$cpu" -le 110 ] || die "a busy loop used $cpu% of a CPU"
  run_pod stats --no-stream
  assert_contains "${lines[0]}" "MEM USAGE / LIMIT"
  assert_contains "$output" "busy"
}

@test "pause freezes the container until unpause; a paused one still stops" {
  run_pod info --format json
  echo "$output" | jq -e '.host.cgroups.delegated.v2 or .host.cgroups.delegated.v1.freezer' >/dev/null ||
    skip "no freezer for $(id -un)"
  run_pod run -d --name frozen "$IMAGE" sh -c 'while :; do :; done'
  run_pod pause frozen
  run_pod ps -a --format json
  echo "$output" | jq -e '.[0].State == "paused"'
  run_pod inspect frozen
  echo "$output" | jq -e '.[0].State.Paused == true and .[0].State.Status == "paused"'
  local t1 t2
  t1=$(pod stats --no-stream --format json frozen | jq -r '.[0].cpu_time')
  sleep 1
  t2=$(pod stats --no-stream --format json frozen | jq -r '.[0].cpu_time')
  [ "$t1" = "$t2" ] || die "CPU time went on while paused: $t1 then $t2"
  run_pod 125 pause frozen
  assert_contains "$output" "paused"
  run_pod unpause frozen
  sleep 0.5
  t2=$(pod stats --no-stream --format json frozen | jq -r '.[0].cpu_time')
  [ "$t1" != "$t2" ] || die "no CPU time after unpause"
  run_pod pause frozen
  run_pod stop -t 1 frozen
  run_pod inspect frozen
  echo "$output" | jq -e '.[0].State.Status == "exited" and .[0].State.Paused == false'
}

@test "update changes the limits of a running container and keeps them for the next start" {
  delegated pids || skip "the pids controller is not delegated to $(id -un)"
  run_pod run -d --name upd --pids-limit 100 "$IMAGE" sleep 60
  local id=${lines[-1]}
  run_pod update --pids-limit 5 upd
  [ "$(cat "$(cgroup_file "$id" pids.max)")" = 5 ]
  run_pod 2 exec upd sh -c 'for i in 1 2 3 4 5 6 7 8; do sleep 5 & done'
  assert_contains "$output" "can't fork"
  run_pod inspect upd
  echo "$output" | jq -e '.[0].HostConfig.PidsLimit == 5'
  run_pod stop -t 0 upd
  run_pod start upd
  [ "$(cat "$(cgroup_file "$id" pids.max)")" = 5 ]
  run_pod 125 update upd
  assert_contains "$output" "no limit given"
}

@test "without a delegated cgroup: stats shows no figures, pause says why" {
  run_pod info --format json
  echo "$output" | jq -e '.host.cgroups.delegated | length > 0' >/dev/null &&
    skip "$(id -un) has delegated cgroups"
  run_pod run -d --name plain "$IMAGE" sleep 60
  run_pod stats --no-stream --format json plain
  echo "$output" | jq -e '.[0].mem_usage == "--" and .[0].cpu_time == "--"'
  run_pod 125 pause plain
  assert_contains "$output" "no cgroup"
  assert_contains "$output" "pod info"
}
