# Starting and stopping a real registry (Debian's docker-registry) on 127.0.0.1 for tests.
# Sourced by the fixture and by tests that need a registry of their own.
#
#   registry_start DIR [CONFIG_EXTRA_YAML]   → sets REGISTRY_PORT and REGISTRY_PID
#   registry_stop PID                         → stops that process (only that one)
#   proxy_start UPSTREAM DIR [MODES...]       → starts pod-test-registry-proxy ($POD_TEST_PROXY, else
#                                               from PATH) in front of UPSTREAM (127.0.0.1:PORT);
#                                               sets PROXY_PORT, PROXY_PID and PROXY_LOG (DIR/proxy.log,
#                                               appended to: a restart in the same DIR keeps history)
#   proxy_stop PID                            → stops that proxy (only that one)

registry_port_is_free() {
  ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

registry_wait_ready() { # port pid
  local i
  for i in $(seq 1 100); do
    kill -0 "$2" 2>/dev/null || return 1
    if curl -fsS -o /dev/null "http://127.0.0.1:$1/v2/" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

registry_write_config() { # dir port extra
  cat >"$1/config.yml" <<YAML
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $1/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$2
$3
YAML
}

registry_start() { # dir [extra yaml]
  local dir=$1 extra=${2:-} attempt port pid
  mkdir -p "$dir/data"
  for attempt in $(seq 1 20); do
    port=$((20000 + RANDOM % 20000))
    registry_port_is_free "$port" || continue
    registry_write_config "$dir" "$port" "$extra"
    # setsid: its own session, so a Ctrl-C of the test run reaches it only through our stop.
    setsid docker-registry serve "$dir/config.yml" </dev/null >>"$dir/registry.log" 2>&1 &
    pid=$!
    if registry_wait_ready "$port" "$pid"; then
      REGISTRY_PORT=$port
      REGISTRY_PID=$pid
      echo "$pid" >"$dir/registry.pid"
      return 0
    fi
    # It may have exited already (its port taken between the check and its bind): under
    # errexit a failing kill would end the caller instead of trying another port.
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  echo "registry did not start; log: $dir/registry.log" >&2
  tail -5 "$dir/registry.log" >&2
  return 1
}

registry_stop() { # pid
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null
  return 0
}

proxy_start() { # upstream dir [modes...]
  local upstream=$1 dir=$2 proxy=${POD_TEST_PROXY:-pod-test-registry-proxy} pid i
  shift 2
  mkdir -p "$dir"
  rm -f "$dir/proxy.port"
  setsid "$proxy" --upstream "$upstream" --port-file "$dir/proxy.port" --log "$dir/proxy.log" "$@" \
    </dev/null >>"$dir/proxy.out" 2>&1 &
  pid=$!
  # The proxy writes its port file (atomically) once it listens.
  for i in $(seq 1 100); do
    if [ -s "$dir/proxy.port" ]; then
      PROXY_PORT=$(cat "$dir/proxy.port")
      PROXY_PID=$pid
      PROXY_LOG=$dir/proxy.log
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "registry proxy did not write $dir/proxy.port within 10 s; output: $dir/proxy.out" >&2
  else
    echo "registry proxy exited before listening; output: $dir/proxy.out" >&2
  fi
  tail -5 "$dir/proxy.out" >&2
  registry_stop "$pid"
  return 1
}

proxy_stop() { # pid
  registry_stop "$1"
}
