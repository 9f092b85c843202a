#!/usr/bin/env bash
# A local Relaymesh cluster without Docker: redis-server, nats-server (JetStream) and two pods,
# each a process of this machine, with logs and pid files in .cluster/.
#   deploy/local-cluster.sh up     start (builds the jar first if needed: run through `make cluster`)
#   deploy/local-cluster.sh down   stop everything it started, by pid
# Ports (override by environment): REDIS_PORT=16379 NATS_PORT=14222, pods on HTTP 8080/8082 and
# gRPC 50051/50052 (POD_HTTP_PORTS, POD_GRPC_PORTS).
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=.cluster
REDIS_PORT=${REDIS_PORT:-16379}
NATS_PORT=${NATS_PORT:-14222}
read -r -a HTTP_PORTS <<< "${POD_HTTP_PORTS:-8080 8082}"
read -r -a GRPC_PORTS <<< "${POD_GRPC_PORTS:-50051 50052}"
JAR=bootstrap/target/relaymesh.jar
JAVA=${JAVA:-java}
# The JVM options of `make run` and the Dockerfile (G1 hands unused heap back after a collection).
read -r -a JVM_OPTS <<< "${JVM_OPTS:---enable-native-access=ALL-UNNAMED -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20}"

say() { echo "cluster: $*"; }

wait_port() { # host port what seconds
  local deadline=$((SECONDS + $4))
  until (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then say "$3 did not open port $2 within $4 s (log: $DIR/$3.log)"; tail -20 "$DIR/$3.log" >&2 || true; return 1; fi
    sleep 0.2
  done
}

start() { # name command...
  local name=$1; shift
  if [ -f "$DIR/$name.pid" ] && kill -0 "$(cat "$DIR/$name.pid")" 2>/dev/null; then
    say "$name already running (pid $(cat "$DIR/$name.pid"))"; return 0
  fi
  "$@" > "$DIR/$name.log" 2>&1 &
  echo $! > "$DIR/$name.pid"
  say "$name started (pid $!, log $DIR/$name.log)"
}

stop() { # name
  local f="$DIR/$1.pid"
  [ -f "$f" ] || return 0
  local pid; pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && { say "$1 did not stop in 15 s; killing"; kill -KILL "$pid" 2>/dev/null || true; }
    say "$1 stopped (pid $pid)"
  fi
  rm -f "$f"
}

up() {
  for bin in redis-server nats-server; do
    command -v "$bin" >/dev/null || { say "$bin is missing: apt-get install -y redis-server nats-server"; exit 1; }
  done
  [ -f "$JAR" ] || { say "$JAR is missing: run 'make cluster' (it builds first)"; exit 1; }
  mkdir -p "$DIR/redis" "$DIR/nats"
  start redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DIR/redis" --appendonly yes --save ""
  start nats nats-server -js -a 127.0.0.1 -p "$NATS_PORT" -sd "$DIR/nats"
  wait_port 127.0.0.1 "$REDIS_PORT" redis 10
  wait_port 127.0.0.1 "$NATS_PORT" nats 10
  if [ ! -f "$DIR/keys.env" ]; then
    # Every pod must share the same keys; generated once and kept in .cluster/keys.env.
    {
      echo "RELAYMESH_AUTH_SECRET_TOKEN=$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9' | head -c 32)"
      echo "RELAYMESH_AUTH_ADMIN_SECRET_TOKEN=$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9' | head -c 32)"
      echo "RELAYMESH_AUTH_TOKEN_AES_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
      echo "RELAYMESH_AUTH_ADMIN_TOKEN_AES_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
      # Public keys for WebSocket clients (config.yaml refuses the server keys on sockets).
      echo "RELAYMESH_AUTH_CLIENT_API_KEY=$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9' | head -c 32)"
      echo "RELAYMESH_AUTH_ADMIN_CLIENT_API_KEY=$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9' | head -c 32)"
    } > "$DIR/keys.env"
    chmod 600 "$DIR/keys.env"
  fi
  if ! grep -q '^RELAYMESH_SERVER_CLUSTER_SECRET=' "$DIR/keys.env"; then
    # Pods authenticate each other's gRPC calls with it (keys.env from before it existed gets one).
    echo "RELAYMESH_SERVER_CLUSTER_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" >> "$DIR/keys.env"
  fi
  set -a; . "$DIR/keys.env"; set +a
  for i in "${!HTTP_PORTS[@]}"; do
    local n=$((i + 1))
    start "pod-$n" env RELAYMESH_CONFIG=config/config.yaml \
      RELAYMESH_SERVER_POD_ID="pod-$n" \
      RELAYMESH_SERVER_HTTP_PORT="${HTTP_PORTS[$i]}" \
      RELAYMESH_SERVER_GRPC_PORT="${GRPC_PORTS[$i]}" \
      RELAYMESH_SERVER_GRPC_ADVERTISE_ADDRESS="127.0.0.1:${GRPC_PORTS[$i]}" \
      RELAYMESH_REDIS_ADDRESS="127.0.0.1:$REDIS_PORT" \
      RELAYMESH_NATS_URL="nats://127.0.0.1:$NATS_PORT" \
      "$JAVA" "${JVM_OPTS[@]}" -jar "$JAR"
  done
  for i in "${!HTTP_PORTS[@]}"; do
    wait_port 127.0.0.1 "${HTTP_PORTS[$i]}" "pod-$((i + 1))" 60
  done
  local urls=""
  for p in "${HTTP_PORTS[@]}"; do urls="$urls http://localhost:$p"; done
  say "up: pods on$urls (keys in $DIR/keys.env; 'make cluster-down' stops it)"
  say "try: . $DIR/keys.env && curl -s -X POST localhost:${HTTP_PORTS[0]}/generate-token -H \"X-API-Key: \$RELAYMESH_AUTH_SECRET_TOKEN\" -d '{\"company_id\":\"acme\",\"agent_id\":\"support\",\"user_id\":\"alice\"}'"
}

down() {
  for f in "$DIR"/pod-*.pid; do [ -e "$f" ] && stop "$(basename "$f" .pid)"; done
  stop nats
  stop redis
  say "down"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
