#!/usr/bin/env bash
# A local single-node Elasticsearch for tests and development: scripts/es-node.sh start|stop|status
#
# It runs Elastic's test distribution from Maven Central (pinned, checksum verified), cached under
# .cache/ so that only the first start downloads. The distribution has no analysis-common module
# (standard analyzer only) and no root endpoint (`GET /` answers 405): health is read from
# /_cluster/health. Security is off because, without analysis-common, 9.x cannot create its own
# security index; the node only ever listens on 127.0.0.1.
#
# start   prints the URL (also written to .cache/es/url); a running node is reused.
# stop    stops the node started from this tree (SIGTERM, then SIGKILL after a bounded wait).
# status  prints the URL and exits 0 when the node answers, exits 1 otherwise.
#
# Environment: NEWSWATCH_ES_PORT (HTTP port; default: a free one), ES_JAVA_HOME (Java 21+),
# ES_JAVA_OPTS (default: a 1 GB heap), NEWSWATCH_ES_START_TIMEOUT (seconds, default 120).
set -euo pipefail
cd "$(dirname "$0")/.."

ES_VERSION=9.5.0
ES_SHA256=db0e275fd790f723eca7bcde96069fd6fed304ad23afdb70c8c09553dd9e8b1b
ES_URL_BASE=https://repo1.maven.org/maven2/org/elasticsearch/distribution/integ-test-zip/elasticsearch
ES_USER=newswatch-es  # the node refuses to run as root, and CI runs as root

ROOT=$PWD/.cache/es
ZIP=$PWD/.cache/downloads/elasticsearch-$ES_VERSION.zip
HOME_DIR=$ROOT/$ES_VERSION/elasticsearch-$ES_VERSION
CONF=$ROOT/conf
DATA=$ROOT/data
LOGS=$ROOT/logs
RUN=$ROOT/run
PID_FILE=$ROOT/pid
URL_FILE=$ROOT/url
START_TIMEOUT=${NEWSWATCH_ES_START_TIMEOUT:-120}

log() { echo "es-node: $*" >&2; }
die() { log "$*"; exit 1; }

# -- download and unpack ---------------------------------------------------------------------
verify() { [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$ES_SHA256" ]; }

download() {
  if [ -f "$ZIP" ] && verify "$ZIP"; then
    return
  fi
  mkdir -p "$(dirname "$ZIP")"
  log "downloading elasticsearch $ES_VERSION (130 MB, once)"
  curl -fsSL --retry 3 --connect-timeout 20 -o "$ZIP.part" \
    "$ES_URL_BASE/$ES_VERSION/elasticsearch-$ES_VERSION.zip"
  verify "$ZIP.part" || { rm -f "$ZIP.part"; die "checksum mismatch for $ZIP (expected $ES_SHA256)"; }
  mv "$ZIP.part" "$ZIP"
}

unpack() {
  [ -x "$HOME_DIR/bin/elasticsearch" ] && return
  download
  local tmp
  tmp=$(mktemp -d "$ROOT/unpack.XXXXXX")
  unzip -q "$ZIP" -d "$tmp"
  mkdir -p "$ROOT/$ES_VERSION"
  mv "$tmp/elasticsearch-$ES_VERSION" "$HOME_DIR"
  rmdir "$tmp"
}

# -- configuration -----------------------------------------------------------------------------
# free_ports [TAKEN]: two distinct free ports, neither TAKEN. Both sockets are held until both are
# chosen: two separate picks may return the same port (it was free again once the first closed),
# and the node then fails to bind its HTTP port to the one its transport already holds.
free_ports() {
  python3 - "$@" <<'PY'
import socket, sys
taken, held, chosen = set(sys.argv[1:]), [], []
while len(chosen) < 2:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    held.append(sock)
    port = str(sock.getsockname()[1])
    if port not in taken:
        chosen.append(port)
print(*chosen)
PY
}

# Elasticsearch ignores JAVA_HOME (it looks for a bundled JDK, which this distribution lacks):
# ES_JAVA_HOME if set, else the first JDK of /usr/lib/jvm whose version is 21 or newer.
java_home() {
  local candidate major
  if [ -n "${ES_JAVA_HOME:-}" ]; then
    [ -x "$ES_JAVA_HOME/bin/java" ] || die "ES_JAVA_HOME=$ES_JAVA_HOME has no bin/java"
    echo "$ES_JAVA_HOME"
    return
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/java" ] || continue
    major=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 |
      awk -F'= ' '/java.specification.version/ {print $2}')
    if [[ $major =~ ^[0-9]+$ ]] && [ "$major" -ge 21 ]; then
      echo "$candidate"
      return
    fi
  done
  die "no Java 21+ in /usr/lib/jvm: set ES_JAVA_HOME"
}

write_config() {
  local http_port=$1 transport_port=$2
  rm -rf "$CONF"
  cp -r "$HOME_DIR/config" "$CONF"
  cat >> "$CONF/elasticsearch.yml" <<EOF

# written by scripts/es-node.sh
cluster.name: newswatch-dev
discovery.type: single-node
network.host: 127.0.0.1
http.port: $http_port
transport.port: $transport_port
path.data: $DATA
path.logs: $LOGS
xpack.security.enabled: false
# A test node must not stop allocating shards because the disk of a CI machine is nearly full.
cluster.routing.allocation.disk.threshold_enabled: false
EOF
  mkdir -p "$DATA" "$LOGS" "$RUN"
}

# -- process -----------------------------------------------------------------------------------
# The pid file can outlive its node (a SIGKILL, a crash, a reboot), and pids come round again
# within minutes on a busy machine (pid_max is often 32768). A pid is this tree's node only while
# its command line runs the server of this tree's $HOME_DIR; otherwise `stop`, or a `start` that
# replaces a node that does not answer, would SIGTERM whatever process holds the pid now, such as
# another tree's node. A zombie (a dead node its new parent has not reaped) has an empty command
# line, so it counts as stopped: it holds no port, file or lock any more.
is_our_node() {
  tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qxF -- "-Des.path.home=$HOME_DIR"
}

running_pid() {
  local pid
  [ -f "$PID_FILE" ] || return 1
  pid=$(cat "$PID_FILE")
  [[ $pid =~ ^[0-9]+$ ]] && is_our_node "$pid" || return 1
  echo "$pid"
}

healthy() {
  curl -fsS --max-time 10 "$1/_cluster/health?wait_for_status=yellow&timeout=5s" >/dev/null 2>&1
}

launch() {
  local java launcher
  java=$(java_home) || exit 1
  launcher=(env ES_PATH_CONF="$CONF" ES_JAVA_HOME="$java"
    ES_JAVA_OPTS="${ES_JAVA_OPTS:--Xms1g -Xmx1g}" "$HOME_DIR/bin/elasticsearch" -d -p "$RUN/es.pid")
  rm -f "$RUN/es.pid"
  if [ "$(id -u)" = 0 ]; then
    id -u "$ES_USER" >/dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin "$ES_USER"
    chown -R "$ES_USER" "$CONF" "$DATA" "$LOGS" "$RUN"
    launcher=(runuser -u "$ES_USER" -- "${launcher[@]}")
  fi
  # -d returns once the JVM is up; the node writes its pid itself. 9>&-: the node must not
  # inherit (and so hold forever) the lock of this script.
  "${launcher[@]}" >"$LOGS/launcher.log" 2>&1 9>&- || { tail_logs; die "elasticsearch did not launch"; }
  printf '%s\n' "$(cat "$RUN/es.pid")" >"$PID_FILE"
}

tail_logs() {
  local file
  for file in "$LOGS/launcher.log" "$LOGS/newswatch-dev.log"; do
    [ -f "$file" ] && { log "--- last lines of $file"; tail -n 40 "$file" >&2; }
  done
  return 0
}

wait_healthy() {
  local url=$1 deadline=$((SECONDS + START_TIMEOUT))
  while [ "$SECONDS" -lt "$deadline" ]; do
    healthy "$url" && return 0
    running_pid >/dev/null || { tail_logs; die "elasticsearch exited during start"; }
    sleep 1
  done
  tail_logs
  stop_node
  die "elasticsearch was not healthy after ${START_TIMEOUT}s"
}

start_node() {
  if running_pid >/dev/null && [ -f "$URL_FILE" ] && healthy "$(cat "$URL_FILE")"; then
    cat "$URL_FILE"
    return
  fi
  running_pid >/dev/null && stop_node
  unpack
  local http_port transport_port
  read -r http_port transport_port <<<"$(free_ports ${NEWSWATCH_ES_PORT:+"$NEWSWATCH_ES_PORT"})"
  http_port=${NEWSWATCH_ES_PORT:-$http_port}
  write_config "$http_port" "$transport_port"
  log "starting elasticsearch $ES_VERSION on 127.0.0.1:$http_port"
  launch
  wait_healthy "http://127.0.0.1:$http_port"
  echo "http://127.0.0.1:$http_port" | tee "$URL_FILE"
}

stop_node() {
  local pid waited=0
  if pid=$(running_pid); then
    kill -TERM "$pid" 2>/dev/null || true
    while is_our_node "$pid" && [ "$waited" -lt 30 ]; do
      sleep 1
      waited=$((waited + 1))
    done
    if is_our_node "$pid"; then
      log "no exit after 30s, sending SIGKILL to $pid"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "stopped (pid $pid)"
  fi
  rm -f "$PID_FILE" "$URL_FILE"
}

status_node() {
  if running_pid >/dev/null && [ -f "$URL_FILE" ] && healthy "$(cat "$URL_FILE")"; then
    cat "$URL_FILE"
    return 0
  fi
  log "not running"
  return 1
}

main() {
  mkdir -p "$ROOT"
  # One invocation at a time per tree: two test sessions starting together share one node.
  exec 9>"$ROOT/lock"
  flock -w "$((START_TIMEOUT + 60))" 9 || die "another es-node.sh holds $ROOT/lock"
  case "${1:-}" in
    start) start_node ;;
    stop) stop_node ;;
    status) status_node ;;
    *) die "usage: $0 start|stop|status" ;;
  esac
}

main "$@"
