#!/usr/bin/env bash
# Issue 15's numbers for the topics dialect (docs/dialects/topics.md#numbers):
#   bench/topics.sh            standalone jar, then two cluster pods on local redis-server and nats-server
# Needs bootstrap/target/relaymesh.jar (mvn -pl bootstrap -am package -DskipTests), redis-server,
# nats-server and redis-cli. Every process it starts is stopped by its PID on exit.
# Options through the environment: RATES (default "814,1600,3200,6400,12800"), SECONDS_PER_STEP (10),
# ONLY=standalone or ONLY=cluster to run one half.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
JAR="$ROOT/bootstrap/target/relaymesh.jar"
BENCH="$ROOT/bench/src/main/java/io/relaymesh/bench/topics/TopicsBench.java"
RATES="${RATES:-814,1600,3200,6400,12800}"
STEP="${SECONDS_PER_STEP:-10}"
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

KEY="bench-admin-key-0123456789abcdef"
SECRET="bench-jwt-secret-0123456789abcdef-0123456789"
common_env() {
  echo RELAYMESH_SERVER_HOST=127.0.0.1 RELAYMESH_SERVER_HTTP_PORT="$1" \
    RELAYMESH_AUTH_SECRET_TOKEN=bench-general-key-0123456789abcdef RELAYMESH_AUTH_ADMIN_SECRET_TOKEN="$KEY" \
    RELAYMESH_AUTH_TOKEN_AES_KEY=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff \
    RELAYMESH_AUTH_ADMIN_TOKEN_AES_KEY=ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100 \
    RELAYMESH_SERVER_CLUSTER_SECRET=bench-cluster-secret-0123456789abcdef0123 RELAYMESH_AUTH_JWT_SECRET="$SECRET" \
    RELAYMESH_SERVER_REQUESTS_PER_IP_PER_SECOND=1000000 RELAYMESH_SERVER_REQUEST_BURST_PER_IP=1000000 \
    RELAYMESH_SERVER_MAX_CONNECTIONS_PER_IP=10000 RELAYMESH_SERVER_UPGRADES_PER_IP_PER_SECOND=1000 \
    RELAYMESH_DIALECTS_TOPICS_PUBLISH_RATE_PER_SECOND=1000000 RELAYMESH_DIALECTS_TOPICS_PUBLISH_BURST=1000000 \
    RELAYMESH_APP_LOG_LEVEL=warn RELAYMESH_DIALECTS_TOPICS_STORE_PATH="$WORK/topics-$1.db"
}
start_jar() { # port, extra env...
  local port="$1"; shift
  env $(common_env "$port") "$@" "$JAVA" -Xmx512m --enable-native-access=ALL-UNNAMED -jar "$JAR" >"$WORK/pod-$port.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && return 0; sleep 0.2; done
  echo "pod on $port did not start:"; tail -20 "$WORK/pod-$port.log"; exit 1
}
bench() { "$JAVA" "$BENCH" "$@" --key="$KEY" --secret="$SECRET"; }

echo "## machine"; nproc; free -g | head -2; uptime; "$JAVA" -version 2>&1 | head -1

if [ "${ONLY:-}" != cluster ]; then
echo "## standalone (embedded file store)"
S=$(free_port); start_jar "$S"
bench load --http="http://127.0.0.1:$S" --clients=20 --rate=814 --warmup=5 --seconds=20
bench load --http="http://127.0.0.1:$S" --clients=20 --steps="$RATES" --warmup=2 --seconds="$STEP"
bench poll --http="http://127.0.0.1:$S" --rounds=300
fi
[ "${ONLY:-}" = standalone ] && exit 0

echo "## cluster: producer on pod A, 20 WebSocket clients on pod B (Redis Streams, NATS, gRPC between pods)"
R=$(free_port); N=$(free_port)
redis-server --port "$R" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" --daemonize no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
nats-server -js -a 127.0.0.1 -p "$N" -sd "$WORK/nats" >"$WORK/nats.log" 2>&1 &
PIDS+=($!)
sleep 1
A=$(free_port); B=$(free_port); GA=$(free_port); GB=$(free_port)
start_jar "$A" RELAYMESH_REDIS_ADDRESS="127.0.0.1:$R" RELAYMESH_NATS_URL="nats://127.0.0.1:$N" RELAYMESH_SERVER_POD_ID=pod-a \
  RELAYMESH_SERVER_GRPC_PORT="$GA" RELAYMESH_SERVER_GRPC_ADVERTISE_ADDRESS="127.0.0.1:$GA"
start_jar "$B" RELAYMESH_REDIS_ADDRESS="127.0.0.1:$R" RELAYMESH_NATS_URL="nats://127.0.0.1:$N" RELAYMESH_SERVER_POD_ID=pod-b \
  RELAYMESH_SERVER_GRPC_PORT="$GB" RELAYMESH_SERVER_GRPC_ADVERTISE_ADDRESS="127.0.0.1:$GB"
bench load --http="http://127.0.0.1:$A" --ws="ws://127.0.0.1:$B" --clients=20 --rate=814 --warmup=5 --seconds=20
bench load --http="http://127.0.0.1:$A" --ws="ws://127.0.0.1:$B" --clients=20 --steps="$RATES" --warmup=2 --seconds="$STEP"
bench poll --http="http://127.0.0.1:$A" --rounds=300

echo "## Redis memory per retained message (20,000 messages, payload like the load's, in bulks of 1000)"
redis-cli -p "$R" flushall >/dev/null
before=$(redis-cli -p "$R" info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')
for b in $(seq 0 19); do
  python3 - "$b" > "$WORK/bulk.json" <<'PY'
import sys, json
b = int(sys.argv[1])
print(json.dumps({"messages": [{"topic": "memory", "payload": {"t": 1733500000000000000 + i, "text": "benchmark message %d" % i}}
                               for i in range(b * 1000, b * 1000 + 1000)]}))
PY
  curl -sf -o /dev/null -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \
    --data @"$WORK/bulk.json" "http://127.0.0.1:$A/api/v1/messages/bulk"
done
after=$(redis-cli -p "$R" info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')
echo "used_memory before=$before after=$after per message=$(( (after - before) / 20000 )) bytes"
redis-cli -p "$R" xlen "topic:log:memory"
redis-cli -p "$R" memory usage "topic:log:memory"
echo "one id key: $(redis-cli -p "$R" memory usage "$(redis-cli -p "$R" --scan --pattern 'topic:msg:*' | head -1)") bytes"
