#!/usr/bin/env bash
# Builds the benchmarks and runs them (see bench/README.md).
#
#   bench/run.sh                       both benchmarks with their defaults (about 2.5 minutes)
#   bench/run.sh redis   [--opt=val]   RedisStateBench only, options passed on (--help lists them)
#   bench/run.sh cluster [--opt=val]   ClusterFaultBench only
#   bench/run.sh suite   [--opt=val]   LoadBench: every load scenario, Relaymesh and Socket.IO (`make bench`)
#   bench/run.sh compare [--opt=val]   LoadBench: only the side by side (chat, broadcast, crosspod)
#   bench/run.sh issue12 [--opt=val]   LoadBench: every number issue 12's closing note asks for, in one run
#   bench/run.sh rooms   [--opt=val]   RoomsBench: issue 17's numbers for the peer rooms (about 2 minutes)
#   bench/run.sh idle|chat|broadcast|crosspod|churn [--opt=val]   LoadBench: one scenario
#                                      (e.g. bench/run.sh idle --connections=19000)
#
# The bench is built against the project's modules in ~/.m2 when they are there. When they are not
# (and always for issue12), it is built in one Maven reactor with this checkout's modules
# (bench/reactor.xml: `mvn package`, which also rebuilds bootstrap/target/relaymesh.jar when a source
# changed) and nothing is installed. BENCH_INSTALL=1 installs the project into ~/.m2 first, as before.
# Results: bench/results/<name>-<timestamp>.json and .log; tables on stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# A JDK 21+, found as the Makefile finds it: JAVA_HOME when it is one, else the newest under /usr/lib/jvm.
jdk_ok() {
  [ -x "$1/bin/javac" ] || return 1
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
  [ "${v%%.*}" -ge 21 ] 2>/dev/null
}
JDK=""
if [ -n "${JAVA_HOME:-}" ] && jdk_ok "$JAVA_HOME"; then
  JDK="$JAVA_HOME"
else
  for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    d="${d%/}"
    if jdk_ok "$d"; then JDK="$d"; break; fi
  done
fi
if [ -z "$JDK" ]; then
  echo "error: the benchmarks need a JDK 21 or newer; none in JAVA_HOME or under /usr/lib/jvm" >&2
  exit 1
fi
export JAVA_HOME="$JDK"
# Maven's own Guava warns about sun.misc.Unsafe on JDK 24+; the option that silences it exists only there.
jdk_major=$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
if [ "${jdk_major%%.*}" -ge 24 ] 2>/dev/null; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
command -v mvn >/dev/null || { echo "error: Maven is missing (apt-get install -y maven)" >&2; exit 1; }
for server in redis-server nats-server; do
  if ! command -v "$server" >/dev/null && [ ! -x "/usr/sbin/$server" ] && [ ! -x "/usr/bin/$server" ]; then
    echo "error: $server is missing (apt-get install -y redis-server nats-server)" >&2
    exit 1
  fi
done

# The project is installed when every module the bench uses is in ~/.m2 (the bootstrap jar with its classes).
REPO="${HOME}/.m2/repository/io/relaymesh"
installed() {
  local a
  for a in relaymesh-domain relaymesh-application relaymesh-adapter-redis relaymesh-adapter-crypto \
           relaymesh-adapter-grpc relaymesh-testkit relaymesh-bootstrap; do
    [ -f "$REPO/$a/0.1.0-SNAPSHOT/$a-0.1.0-SNAPSHOT.jar" ] || return 1
  done
  "$JDK/bin/jar" tf "$REPO/relaymesh-bootstrap/0.1.0-SNAPSHOT/relaymesh-bootstrap-0.1.0-SNAPSHOT.jar" \
    | grep -q 'io/relaymesh/bootstrap/Relaymesh.class'
}
# Maven's output is shown only when it fails.
quiet_mvn() {
  local log
  log=$(mktemp)
  if mvn -q -B "$@" >"$log" 2>&1; then rm -f "$log"; return 0; fi
  cat "$log" >&2
  rm -f "$log"
  return 1
}
what="${1:-all}"
# This checkout's modules, the gateway jar and the bench in one reactor; nothing goes to ~/.m2.
reactor_build() {
  echo "building this checkout's modules, the gateway jar and bench (mvn package, nothing installed) ..."
  quiet_mvn -o -f bench/reactor.xml package -DskipTests -DskipITs -pl :relaymesh-bench -am \
    || quiet_mvn -f bench/reactor.xml package -DskipTests -DskipITs -pl :relaymesh-bench -am
}
if [ "${BENCH_INSTALL:-0}" = 1 ]; then
  echo "installing the project into ~/.m2 (mvn install -DskipTests -DskipITs) ..."
  quiet_mvn -o install -DskipTests -DskipITs || quiet_mvn install -DskipTests -DskipITs
  echo "building bench ..."
  quiet_mvn -f bench/pom.xml package
elif [ "$what" = issue12 ] || [ "$what" = resume ] || ! installed; then
  reactor_build
else
  echo "building bench ..."
  quiet_mvn -f bench/pom.xml package
fi

# Every process a benchmark starts is written to this file ("pid name" per line) and stopped by the
# benchmark; should the JVM itself die, the trap stops whatever is still listed, by its PID.
mkdir -p "$ROOT/bench/results"
PIDS="$ROOT/bench/results/.pids-$$"
: > "$PIDS"
cleanup() {
  local pid name
  while read -r pid name; do
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null; then
      echo "run.sh: stopping leftover $name (pid $pid)" >&2
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done < "$PIDS"
  sleep 1
  while read -r pid name; do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  done < "$PIDS"
  rm -f "$PIDS"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

run() {
  "$JDK/bin/java" ${BENCH_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -Dbench.results="$ROOT/bench/results" -Dbench.pids="$PIDS" \
    -cp "$ROOT/bench/target/relaymesh-bench.jar" "$@"
}

# The load benchmark runs the built jar as pods and Node.js clients from bench/node.
load_prerequisites() {
  if [ ! -f "$ROOT/bootstrap/target/relaymesh.jar" ] || [ ! -d "$ROOT/bootstrap/target/lib" ]; then
    echo "building the gateway jar (mvn package -DskipTests -DskipITs -pl bootstrap -am) ..."
    quiet_mvn package -DskipTests -DskipITs -pl bootstrap -am
  fi
  command -v node >/dev/null || { echo "error: node is missing (Node.js 18+: apt-get install -y nodejs npm)" >&2; exit 1; }
  command -v redis-cli >/dev/null || { echo "error: redis-cli is missing (apt-get install -y redis-tools)" >&2; exit 1; }
  if [ ! -d "$ROOT/bench/node/node_modules" ] || [ "$ROOT/bench/node/package-lock.json" -nt "$ROOT/bench/node/node_modules" ]; then
    echo "installing bench/node dependencies (npm ci) ..."
    (cd "$ROOT/bench/node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) && touch "$ROOT/bench/node/node_modules"
  fi
}
load() {
  load_prerequisites
  run io.relaymesh.bench.LoadBench --root="$ROOT" "$@"
}

[ $# -gt 0 ] && shift
case "$what" in
  redis)   run io.relaymesh.bench.RedisStateBench "$@" ;;
  cluster) run io.relaymesh.bench.ClusterFaultBench "$@" ;;
  suite)   load --name=suite "$@" ;;
  compare) load --name=compare --scenarios=chat,broadcast,crosspod "$@" ;;
  # Issue 12's closing note (bench/README.md, "issue12"): chat across two pods (crosspod), broadcast on two
  # servers at 50 and 150 events/s (every step runs), each after a cold window on fresh servers and a
  # warm-up, Relaymesh and Socket.IO; each step again under JFR on pod-a, the cold window on fresh pods
  # recorded from their start; then idle memory per connection at 19,000. Later options override these.
  issue12) load --name=issue12 --summary=issue12 --scenarios=crosspod,broadcast,idle \
             --crosspod-clients=1000 --crosspod-agents=100 --crosspod-rate=1000 --chat-seconds=10 \
             --fanout-servers=2 --broadcast-clients=1000 --broadcast-rates=50,150 --step-seconds=10 \
             --stop-at-limit=false --p99-limit-ms=100 --warmup-seconds=3 --cold-seconds=3 --cold-slice-ms=500 \
             --connections=19000 --settle-seconds=20 --jfr=true "$@" ;;
  idle|chat|broadcast|crosspod|churn) load --name="$what" --scenarios="$what" "$@" ;;
  # Issue 17's numbers: the peer rooms' relay (same pod, across pods), TLS handshakes, idle memory per peer.
  rooms)
    [ -f "$ROOT/bootstrap/target/relaymesh.jar" ] || { echo "error: build the jar first (make build)" >&2; exit 1; }
    run io.relaymesh.bench.RoomsBench --root="$ROOT" "$@" ;;
  # Issue 18: what resuming costs (one client missing 10,000 events; 1,000 clients reconnecting at once).
  resume)  load_prerequisites; run io.relaymesh.bench.ResumeBench --root="$ROOT" "$@" ;;
  # Issue 16's closing note: message.new, typing fan-out and presence churn of the conversations dialect.
  conversations) run io.relaymesh.bench.ConversationsBench --root="$ROOT" "$@" ;;
  all)
    if [ $# -gt 0 ]; then echo "error: options go with one benchmark: bench/run.sh redis|cluster|suite --opt=val" >&2; exit 2; fi
    run io.relaymesh.bench.RedisStateBench
    echo
    run io.relaymesh.bench.ClusterFaultBench
    ;;
  *) echo "usage: bench/run.sh [all | redis | cluster | suite | compare | issue12 | resume | rooms | idle | chat | broadcast | crosspod | churn | conversations] [--opt=val ...]" >&2; exit 2 ;;
esac
