#!/usr/bin/env bash
# Runs every measurement of BENCHMARKS.md and writes the raw output to OUT (default
# benchmarks/target/results). Build first: mvn -B -pl benchmarks -am package -DskipTests
# WAIT_QUIET_MINUTES=N first waits (polling every 60 s, at most N minutes) for a 1-minute load
# average below 1.0; it then measures anyway and says so.
set -u
cd "$(dirname "$0")/../.."
OUT=${OUT:-benchmarks/target/results}
JAR=${JAR:-benchmarks/target/benchmarks.jar}
mkdir -p "$OUT"
load() { cut -d' ' -f1 /proc/loadavg; }
log() { echo "$(date -u +%FT%TZ) load=$(cat /proc/loadavg | cut -d' ' -f1-3) $*" | tee -a "$OUT/load.log"; }

waited=0
if [ "${WAIT_QUIET_MINUTES:-0}" -gt 0 ]; then
  while awk -v l="$(load)" 'BEGIN{exit !(l >= 1.0)}'; do
    if [ "$waited" -ge "$WAIT_QUIET_MINUTES" ]; then
      log "not quiet after $waited min: measuring anyway"
      break
    fi
    log "waiting for a quiet machine ($waited min)"
    sleep 60
    waited=$((waited + 1))
  done
fi

{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "os: $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "jdk: $(java -version 2>&1 | sed -n 2p)"
} > "$OUT/machine.txt"

log "start jmh"
java -jar "$JAR" -prof gc -rf json -rff "$OUT/jmh.json" > "$OUT/jmh.txt" 2>&1
log "end jmh"
for part in delivery delivery-latency outage memory; do
  log "start $part"
  java -Xms2g -Xmx2g -cp "$JAR" io.smsfeedback.benchmarks.load.LoadHarness "$part" > "$OUT/$part.txt" 2>&1
  log "end $part"
done
log "done"
