#!/usr/bin/env bash
# Starts redis (AOF everysec), nats (JetStream) and two pods on own ports; PIDs in /tmp/mbench/*.pid
set -e
cd "$(dirname "$0")/../.."
mkdir -p /tmp/mbench/redis /tmp/mbench/nats
(cd /tmp/mbench/redis && nohup redis-server --port 16379 --bind 127.0.0.1 --save "" --appendonly yes --appendfsync everysec --dir /tmp/mbench/redis > /tmp/mbench/redis.log 2>&1 & echo $! > /tmp/mbench/redis.pid)
(nohup nats-server -js -p 14222 -sd /tmp/mbench/nats > /tmp/mbench/nats.log 2>&1 & echo $! > /tmp/mbench/nats.pid)
sleep 1
. bench/mailbox/env.sh
for p in a b; do
  port=$([ $p = a ] && echo 18081 || echo 18082)
  grpc=$([ $p = a ] && echo 15051 || echo 15052)
  (RELAYMESH_SERVER_HTTP_PORT=$port RELAYMESH_SERVER_POD_ID=bench-$p RELAYMESH_SERVER_GRPC_PORT=$grpc \
   RELAYMESH_SERVER_GRPC_ADVERTISE_ADDRESS=127.0.0.1:$grpc RELAYMESH_REDIS_ADDRESS=127.0.0.1:16379 \
   RELAYMESH_NATS_URL=nats://127.0.0.1:14222 RELAYMESH_DIALECTS_MAILBOX_SWEEP_INTERVAL_SECONDS=${SWEEP:-30} \
   nohup /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -Xmx512m --enable-native-access=ALL-UNNAMED -jar bootstrap/target/relaymesh.jar > /tmp/mbench/pod-$p.log 2>&1 & echo $! > /tmp/mbench/pod-$p.pid)
done
sleep 8
curl -s localhost:18081/healthz; curl -s localhost:18082/healthz; echo
