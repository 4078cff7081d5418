#!/usr/bin/env bash
# Measures this checkout against another commit (default: main) in one session, alternating the
# two jars so that the machine's load hits both alike, and writes the raw output to OUT.
#   BASE=<commit> OUT=<dir> ROUNDS=<n> QUICK=1 benchmarks/scripts/compare-with-main.sh
# Builds the base in a temporary git worktree (package, never install) and this checkout. Runs, per
# round and jar: the loopback reporter alone with CPU by thread (LoadHarness reporter-only), the
# network rows (NetworkDelivery 10,000 at 50/200/300 ms), and the loopback comparison
# (LoadHarness delivery, not with QUICK=1); then the JMH benchmarks once per jar (-f 1, shorter
# iterations with QUICK=1). The storm rows take 5-15 min each: run load.Storm by hand
# (BENCHMARKS.md). Loopback only.
set -eu
cd "$(dirname "$0")/../.."
BASE=${BASE:-main}
OUT=${OUT:-benchmarks/target/compare}
ROUNDS=${ROUNDS:-2}
QUICK=${QUICK:-0}
mkdir -p "$OUT"
log() { echo "$(date -u +%FT%TZ) load=$(cut -d' ' -f1-3 /proc/loadavg) $*" | tee -a "$OUT/load.log"; }

TMP=$(mktemp -d)
trap 'git worktree remove --force "$TMP/base" >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT
git worktree add --detach "$TMP/base" "$BASE" >/dev/null
log "building base $(git -C "$TMP/base" rev-parse --short HEAD) and this checkout $(git rev-parse --short HEAD)"
(cd "$TMP/base" && mvn -B -ntp -q -pl benchmarks -am package -DskipTests)
mvn -B -ntp -q -pl benchmarks -am package -DskipTests
cp "$TMP/base/benchmarks/target/benchmarks.jar" "$TMP/base.jar"
cp benchmarks/target/benchmarks.jar "$TMP/this.jar"

for round in $(seq 1 "$ROUNDS"); do
  for which in base this; do
    jar="$TMP/$which.jar"
    log "round $round $which: reporter-only"
    java -Xms2g -Xmx2g -cp "$jar" io.smsfeedback.benchmarks.load.LoadHarness reporter-only >> "$OUT/reporter-only-$which.txt" 2>&1
    log "round $round $which: network"
    java -Xms1g -Xmx1g -cp "$jar" io.smsfeedback.benchmarks.load.NetworkDelivery 10000 15 50 200 300 >> "$OUT/network-$which.txt" 2>&1
    if [ "$QUICK" != 1 ]; then
      log "round $round $which: delivery"
      java -Xms2g -Xmx2g -cp "$jar" io.smsfeedback.benchmarks.load.LoadHarness delivery >> "$OUT/delivery-$which.txt" 2>&1
    fi
  done
done
for which in base this; do
  log "jmh $which"
  if [ "$QUICK" = 1 ]; then
    java -jar "$TMP/$which.jar" -f 1 -wi 1 -i 3 -w 1s -r 1s -prof gc > "$OUT/jmh-$which.txt" 2>&1
  else
    java -jar "$TMP/$which.jar" -f 1 -prof gc > "$OUT/jmh-$which.txt" 2>&1
  fi
done
log "done"
for which in base this; do
  echo "== $which: reporter-only (µs of CPU per feedback, all threads / client threads)"
  grep 'reporter n=' "$OUT/reporter-only-$which.txt" | sed -E 's/.*cpu ([0-9.]+) µs\/item \(client ([0-9.]+).*/\1 \2/'
done
