#!/usr/bin/env bats
# pod build (pod-build): every instruction and flag, the result checked by running the image;
# multi-stage and --target; the layer cache (hits, a context change, a build-arg change);
# reproducible builds; chroot isolation; bad input that leaves no image tagged.

load helpers

setup_file() { setup_container_file; }
# Layers hold files of other ids of the user's range (COPY --chown): removed from inside.
teardown_file() { [ "$(id -u)" -eq 0 ] || "$POD_BIN/pod" unshare rm -rf "$XDG_DATA_HOME/pod"; }

setup() {
  C=$BATS_TEST_TMPDIR/ctx
  mkdir -p "$C"
}

build() { # [EXPECTED_RC] ARGS...
  local rc=()
  case ${1:-} in
    [0-9]*) rc=("$1"); shift ;;
  esac
  run_tool "$POD_BIN/pod-build" "${rc[@]}" $(pod_store_args) "$@"
}
config_of() { "$POD_BIN/pod-copy" $(pod_store_args) inspect --config "local:$1"; }
image_id() { pod image inspect "$1" | grep -m1 '"Id"' | cut -d'"' -f4; }
in_image() { # IMAGE COMMAND... — the command's output in a container of the image
  run_pod run --rm "$@"
}

# The suite's Containerfile: every instruction, most flags of COPY and ADD.
write_everything() {
  mkdir -p "$C/dir/sub" "$C/tree"
  echo hello >"$C/hello.txt"
  echo a >"$C/a.conf"
  echo b >"$C/b.conf"
  echo deep >"$C/dir/sub/deep.txt"
  echo secret >"$C/secret.log"
  echo packed >"$C/tree/packed.txt"
  tar -C "$C/tree" -czf "$C/packed.tar.gz" packed.txt
  printf '*.log\n' >"$C/.containerignore"
  cat >"$C/Containerfile" <<EOF
# syntax=docker/dockerfile:1
ARG BASE=$IMAGE
FROM \$BASE AS base
ARG GREETING=hello
ARG UNSET
ENV APP=/app LEGACY_DEFAULT=\${UNSET:-fallback}
ENV OLDFORM spaced value
LABEL org.example.name="pod test" version=1
EXPOSE 8080 53/udp 9000-9001
VOLUME ["/data"]
WORKDIR \$APP
COPY hello.txt ./
COPY --chown=1000:1000 --chmod=0640 *.conf conf/
COPY dir /app/dir-contents/
COPY . /ctx/
ADD packed.tar.gz /unpacked/
COPY <<EOT /app/heredoc.txt
made by a heredoc for \$APP
EOT
RUN echo "\$GREETING from run" > run.txt && rm /bin/vi && \\
    mkdir -p /opt/empty
RUN ["/bin/sh", "-c", "echo exec form > /app/exec.txt"]
RUN <<EOT
echo one > /app/script.txt
echo two >> /app/script.txt
EOT
SHELL ["/bin/sh", "-ec"]
RUN echo "shell \$0" > /app/shell.txt
STOPSIGNAL SIGUSR1
HEALTHCHECK --interval=30s --retries=2 CMD true
ONBUILD RUN echo child
USER 1000:1000
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["cat /app/run.txt"]
EOF
}

@test "every instruction: files, owners, modes, whiteouts and config checked in the image" {
  write_everything
  build --format docker --build-arg GREETING=hi -t every "$C"
  assert_contains "$output" "STEP 1/"
  assert_contains "$output" "STEP 4/26: ENV APP=/app"
  run_pod run --rm every 'cat /app/run.txt; id -u; pwd; echo $LEGACY_DEFAULT $OLDFORM'
  assert_contains "$output" "hi from run"
  assert_contains "$output" "1000"
  assert_contains "$output" "/app"
  assert_contains "$output" "fallback spaced value"
  run_pod run --rm --user 0 every 'stat -c "%u:%g %a %n" /app/conf/a.conf /app/conf/b.conf /app/hello.txt /app/dir-contents/sub/deep.txt'
  assert_contains "$output" "1000:1000 640 /app/conf/a.conf"
  assert_contains "$output" "1000:1000 640 /app/conf/b.conf"
  assert_contains "$output" "0:0 644 /app/hello.txt"
  assert_contains "$output" "0:0 644 /app/dir-contents/sub/deep.txt"
  run_pod run --rm every 'cat /unpacked/packed.txt /app/heredoc.txt /app/exec.txt /app/script.txt /app/shell.txt'
  assert_contains "$output" "packed"
  assert_contains "$output" "made by a heredoc for /app"
  assert_contains "$output" "exec form"
  assert_contains "$output" "one
two"
  assert_contains "$output" "shell /bin/sh"
  # The RUN's rm is a whiteout over the base layer; ignored files never reach the image.
  run_pod 1 run --rm every 'ls /bin/vi'
  run_pod 1 run --rm every 'ls /ctx/secret.log'
  run_pod run --rm every 'ls /ctx; test -d /opt/empty && echo empty-dir-kept; test -e /etc/hosts && echo hosts'
  assert_contains "$output" "Containerfile"
  assert_contains "$output" "empty-dir-kept"
  run config_of every
  echo "$output"
  assert_contains "$output" '"8080/tcp"'
  assert_contains "$output" '"53/udp"'
  assert_contains "$output" '"9001/tcp"'
  assert_contains "$output" '"/data"'
  assert_contains "$output" '"org.example.name": "pod test"'
  assert_contains "$output" '"StopSignal": "SIGUSR1"'
  assert_contains "$output" '"CMD-SHELL"'
  assert_contains "$output" '"Retries": 2'
  assert_contains "$output" '"RUN echo child"'
  assert_contains "$output" '"Shell"'
  assert_contains "$output" '"comment": "FROM '
  # The RUN's mount points (/etc/hosts, /proc, /dev, …) are not in the layers it made.
  run_pod image inspect every
  [ "$(config_of every | grep -c '"empty_layer": true')" -gt 5 ] || die "metadata steps should have empty history entries"
}

@test "multi-stage: COPY --from a stage by name and by index, --target stops early" {
  cat >"$C/Containerfile" <<EOF
FROM $IMAGE AS builder
RUN mkdir /out && echo built > /out/artifact && echo second > /out/two
FROM $IMAGE AS tester
RUN echo in-tester > /tested
FROM $IMAGE
COPY --from=builder /out/artifact /artifact
COPY --from=0 /out/two /two
COPY --from=$IMAGE /etc/passwd /copied-passwd
EOF
  build -t multi "$C"
  assert_contains "$output" "[3/3] STEP"
  in_image multi cat /artifact /two
  assert_contains "$output" "built
second"
  in_image multi head -1 /copied-passwd
  assert_contains "$output" "root:x:0:0"
  run_pod 1 run --rm multi ls /out /tested
  build --target tester -t multi-target "$C"
  in_image multi-target cat /tested
  assert_contains "$output" "in-tester"
  build 125 --target nosuch -t never "$C"
  assert_contains "$output" '--target `nosuch`: no stage of that name'
}

@test "the layer cache: a rebuild does nothing, one changed byte re-runs from its COPY on, a build arg from its RUN on" {
  echo one >"$C/a.txt"
  echo two >"$C/b.txt"
  cat >"$C/Containerfile" <<EOF
FROM $IMAGE
ARG MODE=x
COPY a.txt /a.txt
RUN cat /a.txt > /a-copy
COPY b.txt /b.txt
RUN echo "\$MODE" > /mode && cat /b.txt > /b-copy
EOF
  build -t cached "$C"
  local first
  first=$(image_id cached)
  build -t cached "$C"
  [ "$(grep -c 'Using cache' <<<"$output")" -eq 4 ] || die "expected 4 cache hits"
  [ "$(image_id cached)" = "$first" ] || die "a fully cached rebuild gave another image"
  # One byte of b.txt: the steps before it stay cached, it and the RUN after it run again.
  echo twO >"$C/b.txt"
  build -t cached "$C"
  [ "$(grep -c 'Using cache' <<<"$output")" -eq 2 ] || die "expected 2 cache hits after changing b.txt"
  in_image cached cat /b-copy
  assert_contains "$output" "twO"
  # Touching a file (mtime only) is no change.
  touch -d '2001-01-01' "$C/a.txt"
  build -t cached "$C"
  [ "$(grep -c 'Using cache' <<<"$output")" -eq 4 ] || die "an mtime change invalidated the cache"
  # A build arg is a variable of every RUN after its ARG (Docker): the COPY before the first RUN
  # stays cached, the rest runs again.
  build --build-arg MODE=y -t cached "$C"
  [ "$(grep -c "Using cache" <<<"$output")" -eq 1 ] || die "expected only the COPY before the first RUN cached"
  in_image cached cat /mode
  assert_contains "$output" "y"
  build --no-cache -t cached "$C"
  [ "$(grep -c 'Using cache' <<<"$output")" -eq 0 ] || die "--no-cache used the cache"
}

@test "--timestamp 0 twice gives the same image digest; SOURCE_DATE_EPOCH too" {
  echo data >"$C/f.txt"
  printf 'FROM %s\nCOPY f.txt /f.txt\nRUN echo x > /x && mkdir /d\nLABEL l=1\n' "$IMAGE" >"$C/Containerfile"
  build --no-cache --timestamp 0 -t repro1 "$C"
  sleep 1
  touch "$C/f.txt"
  build --no-cache --timestamp 0 -t repro2 "$C"
  [ "$(image_id repro1)" = "$(image_id repro2)" ] || die "two --timestamp 0 builds differ"
  config_of repro1 | grep -q '"created": "1970-01-01T00:00:00Z"' || die "created is not the timestamp"
  SOURCE_DATE_EPOCH=0 build --no-cache -t repro3 "$C"
  [ "$(image_id repro1)" = "$(image_id repro3)" ] || die "SOURCE_DATE_EPOCH=0 differs from --timestamp 0"
}

@test "--isolation chroot builds the same Containerfile to the same files" {
  echo hi >"$C/f.txt"
  printf 'FROM %s\nCOPY f.txt /f.txt\nRUN cat /f.txt > /g.txt && rm /bin/vi && id -u > /uid\nUSER 1000\nRUN id -u > /tmp/as-user\n' "$IMAGE" >"$C/Containerfile"
  build --isolation chroot -t chrooted "$C"
  in_image chrooted cat /g.txt /uid /tmp/as-user
  assert_contains "$output" "hi
0
1000"
  run_pod 1 run --rm chrooted ls /bin/vi
  # What the RUNs mounted (/proc, /sys, /dev, /etc/resolv.conf, /etc/hosts) is in no layer.
  "$POD_BIN/pod-copy" $(pod_store_args) copy local:chrooted "dir:$BATS_TEST_TMPDIR/layout" >/dev/null
  local blob
  for blob in "$BATS_TEST_TMPDIR"/layout/*; do
    tar -tf "$blob" >/dev/null 2>&1 || continue
    ! tar -tf "$blob" | grep -E '^(\./)?((proc|sys|dev)/.|etc/(resolv.conf|hosts)$)' || die "a mount point's content is in $blob"
  done
}

@test "flags: -q, --iidfile, --label, --annotation, --squash, --output local/tar/oci, -f, --network none" {
  echo payload >"$C/p.txt"
  printf 'FROM %s\nCOPY p.txt /p.txt\nRUN echo a > /a\nRUN echo b > /b\n' "$IMAGE" >"$C/Other.containerfile"
  build -q -f "$C/Other.containerfile" --iidfile "$BATS_TEST_TMPDIR/iid" --label team=pod --annotation note=x -t flags "$C"
  [ "$(printf '%s' "$output" | grep -c .)" -eq 1 ] || die "-q printed more than the id"
  [ "$(cat "$BATS_TEST_TMPDIR/iid")" = "sha256:$output" ] || die "--iidfile does not hold the id"
  config_of flags | grep -q '"team": "pod"' || die "--label missing"
  "$POD_BIN/pod-copy" $(pod_store_args) inspect --raw local:flags | grep -q '"note":"x"' || die "--annotation missing"
  local base_layers squashed_layers
  base_layers=$(config_of "$IMAGE" | grep -c 'sha256:' || true)
  build --squash -f "$C/Other.containerfile" -t squashed "$C"
  squashed_layers=$(config_of squashed | grep -A3 diff_ids | grep -c 'sha256:' || true)
  in_image squashed cat /p.txt /a /b
  assert_contains "$output" "payload
a
b"
  [ "$(config_of squashed | tr -d ' \n' | grep -o '"diff_ids":\[[^]]*\]' | grep -o sha256 | wc -l)" -eq 2 ] || die "--squash should give the base layer + 1"
  build -f "$C/Other.containerfile" --output "type=local,dest=$BATS_TEST_TMPDIR/out" -t out "$C"
  [ "$(cat "$BATS_TEST_TMPDIR/out/p.txt")" = payload ] || die "--output local did not write the files"
  build -f "$C/Other.containerfile" -o "type=tar,dest=$BATS_TEST_TMPDIR/out.tar" -t out "$C"
  tar -tf "$BATS_TEST_TMPDIR/out.tar" | grep -qx 'p.txt\|./p.txt' || die "--output tar lacks p.txt"
  build -f "$C/Other.containerfile" -o "type=oci,dest=$BATS_TEST_TMPDIR/out-oci.tar" -t out "$C"
  tar -tf "$BATS_TEST_TMPDIR/out-oci.tar" | grep -q index.json || die "--output oci is not an OCI archive"
  printf 'FROM %s\nRUN wget -q -T 2 http://127.0.0.1:1/ 2>&1; ip link 2>/dev/null | grep -c "^[0-9]" > /links; true\n' "$IMAGE" >"$C/Containerfile"
  build --network none -t nonet "$C"
  in_image nonet cat /links
  assert_contains "$output" "1"
}

@test "bad input: file:line errors, missing sources, failing RUN, ARG misuse — nothing tagged" {
  printf 'FROM %s\nRUN true\nFROBNICATE x\n' "$IMAGE" >"$C/Containerfile"
  build 125 -t bad "$C"
  assert_contains "$output" "Containerfile:3: unknown instruction: \`FROBNICATE\`"
  printf 'FROM %s\nCOPY nothere.txt /x\n' "$IMAGE" >"$C/Containerfile"
  build 125 -t bad "$C"
  assert_contains "$output" "Containerfile:2: COPY: no such file in the build context: \`nothere.txt\`"
  printf 'FROM %s\nCOPY ../../etc/passwd /x\n' "$IMAGE" >"$C/Containerfile"
  build 125 -t bad "$C"
  assert_contains "$output" "outside the build context"
  printf 'FROM %s\nRUN echo before\nRUN exit 7\nRUN echo never\n' "$IMAGE" >"$C/Containerfile"
  build 7 -t bad "$C"
  assert_contains "$output" "Containerfile:3: RUN: \`exit 7\` exited with status 7"
  assert_contains "$output" "STEP 3/4: RUN exit 7"
  printf 'FROM %s\nARG 9lives=x\n' "$IMAGE" >"$C/Containerfile"
  build 125 -t bad "$C"
  assert_contains "$output" "Containerfile:2: ARG: invalid ARG name"
  printf 'FROM %s\nRUN echo ${BROKEN\n' "$IMAGE" >"$C/Containerfile"
  printf 'FROM %s\nENV A=${BROKEN\n' "$IMAGE" >"$C/Containerfile"
  build 125 -t bad "$C"
  assert_contains "$output" "unterminated"
  printf 'FROM %s AS x\nFROM %s AS x\n' "$IMAGE" "$IMAGE" >"$C/Containerfile"
  build 125 -t bad "$C"
  assert_contains "$output" "is used twice"
  build 125 -t bad "$BATS_TEST_TMPDIR/no-such-context"
  assert_contains "$output" "cannot be read"
  run_pod images
  [[ "$output" != *localhost/bad* ]] || die "a failed build tagged an image"
  # No build leaves temporaries or mounts behind.
  local root=${XDG_DATA_HOME}/pod
  [ -z "$(ls -A "$root/layers" | grep '^\.tmp-' || true)" ] || die "temporary layers left: $(ls -A "$root/layers")"
  ! grep -q "$root" /proc/self/mountinfo || die "a build mount is left"
}

@test "pod build is pod-build" {
  printf 'FROM %s\nLABEL via=pod\n' "$IMAGE" >"$C/Containerfile"
  run_pod build -t via-pod "$C"
  config_of via-pod | grep -q '"via": "pod"' || die "pod build did not build"
}

@test "pod commit: a container's changes, whiteouts included, and --change on the config" {
  run_pod run --name to-commit "$IMAGE" sh -c 'echo changed > /new.txt && rm /bin/vi && mkdir /made'
  run_pod commit -c 'CMD ["cat", "/new.txt"]' -c 'ENV FROM_COMMIT=1' -m "a message" to-commit committed
  in_image committed
  assert_contains "$output" "changed"
  run_pod 1 run --rm committed ls /bin/vi
  in_image committed sh -c 'echo $FROM_COMMIT; test -d /made && echo made'
  assert_contains "$output" "1
made"
  config_of committed | grep -q '"comment": "a message"' || die "the message is not in the history"
  run_pod 125 commit -c 'RUN true' to-commit bad-commit
  assert_contains "$output" "only CMD, ENTRYPOINT"
  run_pod rm to-commit
}
