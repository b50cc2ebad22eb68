#!/usr/bin/env bats
# User-mode networking (pod-slirp, libslirp): the default for containers; published ports,
# the gateway to the host, DNS forwarding, and the other modes (none, host, container:NAME).

load helpers

setup_file() { setup_container_file; }
teardown() {
  remove_all_containers
  [ -z "${HOST_SERVER_PID:-}" ] || kill "$HOST_SERVER_PID" 2>/dev/null || true
}

NET_TOOL="$POD_LIBEXEC/tests/pod-test-net"

# host_httpd FILE-CONTENT — busybox httpd on a free 127.0.0.1 port serving /f.txt; sets
# HOST_PORT and HOST_SERVER_PID.
host_httpd() {
  local dir="$BATS_TEST_TMPDIR/www" try
  mkdir -p "$dir"
  echo "$1" >"$dir/f.txt"
  for try in 1 2 3 4 5; do
    HOST_PORT=$((20000 + RANDOM % 20000))
    busybox httpd -f -p "127.0.0.1:$HOST_PORT" -h "$dir" &
    HOST_SERVER_PID=$!
    sleep 0.2
    kill -0 "$HOST_SERVER_PID" 2>/dev/null && return 0
  done
  die "no free port for the host's web server"
}

# published PORT/PROTO CONTAINER — the host port `pod port` reports
published() { pod port "$2" "$1" | head -1 | sed 's/.*://'; }

@test "the default: tap0 at 10.0.2.100 with a route through 10.0.2.2, DNS at 10.0.2.3" {
  requires tun
  run_pod run --rm "$IMAGE" sh -c 'ip -4 addr show tap0; ip route; cat /etc/resolv.conf /etc/hosts'
  assert_contains "$output" "inet 10.0.2.100/24"
  assert_contains "$output" "default via 10.0.2.2 dev tap0"
  assert_contains "$output" "nameserver 10.0.2.3"
  assert_contains "$output" "host.containers.internal"
  run_pod run --rm "$IMAGE" cat /sys/class/net/tap0/mtu
  [ "$output" = 65520 ]
}

@test "the container reaches a server on the host's loopback through the gateway only when allowed" {
  requires tun
  host_httpd "served-by-the-host"
  run_pod run --rm --network slirp4netns:allow_host_loopback=true "$IMAGE" wget -q -O - "http://10.0.2.2:$HOST_PORT/f.txt"
  [ "$output" = "served-by-the-host" ]
  run_pod 1 run --rm "$IMAGE" sh -c "echo | nc -w 3 10.0.2.2 $HOST_PORT"
}

@test "-p: the host reaches a web server in the container; pod port and ps list it" {
  requires tun
  run_pod run -d --name web -p 127.0.0.1::8080 "$IMAGE" \
    sh -c 'mkdir /www; echo served-by-the-container >/www/index.html; exec httpd -f -p 8080 -h /www'
  local port
  port=$(published 8080/tcp web)
  [ -n "$port" ] || die "pod port listed nothing"
  run_pod port web
  assert_contains "$output" "8080/tcp -> 127.0.0.1:$port"
  run_pod ps
  assert_contains "$output" "127.0.0.1:$port->8080/tcp"
  run_pod inspect web
  echo "$output" | jq -e --arg p "$port" '.[0].NetworkSettings.Ports["8080/tcp"][0].HostPort == $p'
  local body="" try
  for try in $(seq 1 20); do
    body=$(curl -s "http://127.0.0.1:$port/") && [ -n "$body" ] && break
    sleep 0.1
  done
  [ "$body" = "served-by-the-container" ] || die "got '$body'"
}

@test "-p /udp: a datagram comes back from a UDP echo in the container" {
  requires tun
  run_pod run -d --name echo -p 127.0.0.1::7777/udp -v "$NET_TOOL:/usr/local/bin/net:ro" "$IMAGE" net udp-echo 7777
  local port reply="" try
  port=$(published 7777/udp echo)
  for try in 1 2 3 4 5; do
    # One datagram out, one read of a whole datagram back (fd 5: bats reports on 3).
    reply=$(timeout 1 bash -c 'exec 5<>"/dev/udp/127.0.0.1/$1"; echo "ping-$2" >&5; dd bs=512 count=1 <&5 2>/dev/null' _ "$port" "$try" || true)
    [ -n "$reply" ] && break
  done
  [ "$reply" = "ping-$try" ] || die "no echo (got '$reply')"
}

@test "a port already in use on the host fails the run before the container starts" {
  requires tun
  host_httpd "x"
  run_pod 125 run --rm --name clash -p "127.0.0.1:$HOST_PORT:80" "$IMAGE" true
  assert_contains "$output" "127.0.0.1:$HOST_PORT/tcp"
  assert_contains "$output" "already in use"
  run_pod ps -a -q
  [ -z "$output" ] || die "a container was left: $output"
}

@test "DNS at 10.0.2.3 is forwarded to the host's resolver (here a test one on 127.0.0.1)" {
  requires tun
  [ -n "${POD_TEST_RESOLV_CONF:-}" ] || skip "the fixture has no DNS responder (127.0.0.1:53 taken, or not root)"
  run_pod run --rm --network "slirp4netns:dns_resolv_conf=$POD_TEST_RESOLV_CONF" "$IMAGE" nslookup pod-test.example
  assert_contains "$output" "10.1.2.3"
}

@test "--network none has only lo; host shares the host's stack" {
  run_pod run --rm --network none "$IMAGE" ls /sys/class/net
  [ "$output" = lo ]
  run_pod run --rm --network host "$IMAGE" ls /sys/class/net
  [ "$(echo "$output" | wc -l)" -eq "$(ls /sys/class/net | wc -l)" ]
}

@test "--network container:NAME shares the other container's stack" {
  requires tun
  run_pod run -d --name first "$IMAGE" sh -c 'echo shared >/index.html; exec httpd -f -p 8081 -h /'
  run_pod run --rm --network container:first "$IMAGE" sh -c 'ip -4 addr show tap0; wget -q -O - http://127.0.0.1:8081/'
  assert_contains "$output" "10.0.2.100"
  assert_contains "$output" "shared"
  run_pod 125 run --rm --network container:nonesuch "$IMAGE" true
  assert_contains "$output" "nonesuch"
}

@test "--add-host, --dns, --dns-search and --no-hosts shape /etc/hosts and /etc/resolv.conf" {
  run_pod run --rm --add-host db.local:10.9.8.7 --dns 10.0.2.3 --dns-search example.org --hostname box "$IMAGE" \
    cat /etc/hosts /etc/resolv.conf /etc/hostname
  assert_contains "$output" "10.9.8.7	db.local"
  assert_contains "$output" "search example.org"
  assert_contains "$output" "nameserver 10.0.2.3"
  assert_contains "$output" "box"
  run_pod run --rm --no-hosts "$IMAGE" sh -c 'cat /etc/hosts 2>/dev/null; true'
  [[ "$output" != *host.containers.internal* ]] || die "--no-hosts still wrote pod's hosts file"
  run_pod 125 run --rm --add-host nocolon "$IMAGE" true
  assert_contains "$output" "NAME:IP"
  run_pod 125 run --rm -p 80 --network none "$IMAGE" true
  assert_contains "$output" "user-mode networking"
}

@test "pod-slirp exits with its container" {
  requires tun
  run_pod run -d --name short "$IMAGE" sleep 1
  sleep 0.3
  local helpers
  helpers=$(pgrep -u "$(id -u)" -f "pod-slirp.*" | wc -l)
  [ "$helpers" -ge 1 ] || die "no pod-slirp running"
  run_pod wait short
  sleep 0.5
  ! pgrep -u "$(id -u)" -f "libexec/pod/pod-slirp" >/dev/null || die "pod-slirp outlived its container"
}
