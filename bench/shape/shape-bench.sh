#!/usr/bin/env bash
# Scan throughput on a TLS-heavy capture without keys, with the shape classifier on and off (--no-shape).
# Usage: bench/shape/shape-bench.sh PCAP   (e.g. the shape corpus' shape.pcap: tests/corpus/shape/generate.sh)
# BENCH_RUNS (default 5) runs each; pinned to one core; prints the median wall time and packets per second.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PCAP=${1:?usage: shape-bench.sh PCAP}
RUNS=${BENCH_RUNS:-5}
dotnet build "$ROOT/Cli" -c Release -nologo -v quiet >/dev/null
CLI=(dotnet "$ROOT/Cli/bin/Release/net10.0/shadowmcp.dll")
packets=$(tcpdump -r "$PCAP" 2>/dev/null | wc -l)
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for mode in on off; do
  extra=(); [ "$mode" = off ] && extra=(--no-shape)
  times=$(for _ in $(seq "$RUNS"); do
    start=$(date +%s.%N)
    taskset -c 0 "${CLI[@]}" scan "$PCAP" --no-store -f json "${extra[@]}" >/dev/null
    echo "$(date +%s.%N) - $start" | bc
  done | median)
  printf 'shape %-3s  %6.3f s  %8.0f packets/s  (%d packets, median of %d)\n' "$mode" "$times" \
    "$(echo "$packets / $times" | bc -l)" "$packets" "$RUNS"
done
