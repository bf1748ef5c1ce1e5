#!/usr/bin/env bash
# Writes the scan JSON and the flow log of every bundled capture, with --threads 1 and 2, into OUT, so two builds can
# be compared with `diff -r OUT_BEFORE OUT_AFTER` (stats.memoryPeakBytes is blanked: it measures, it does not detect).
# TLS corpus captures are scanned with their key logs as well as without.
# Usage: bench/scan-identity.sh CLI_DIR OUT [MORE.pcap...]   (CLI_DIR: a `dotnet build Cli -c Release -o CLI_DIR`;
#   MORE: further captures, e.g. a bench/PcapSynth file)
set -euo pipefail
cd "$(dirname "$0")/.."
cli=$1; out=$2; shift 2; mkdir -p "$out"
mapfile -t pcaps < <(find samples tests/corpus tests/ShadowMcp.Scanner.Tests/data tests/ShadowMcp.Scanner.Tests/Fuzz/corpus/capture \
  -name '*.pcap' -o -name '*.pcapng' | sort)
pcaps+=("$@")
run() { # name threads extra-args...
  local name=$1 threads=$2; shift 2
  dotnet "$cli/shadowmcp.dll" scan "$@" --format json --no-store --rules rules --threads "$threads" \
    --flow-log "$out/$name.t$threads.flows.jsonl" > "$out/$name.t$threads.json" 2> "$out/$name.t$threads.err" || echo "exit $?" >> "$out/$name.t$threads.err"
  sed -i -E 's/"memoryPeakBytes": *[0-9]+/"memoryPeakBytes": 0/' "$out/$name.t$threads.json"
}
for p in "${pcaps[@]}"; do
  name=$(echo "$p" | tr '/' '_')
  for t in 1 2; do
    run "$name" "$t" "$p"
    key=tests/corpus/tls/keys/$(basename "${p%.*}").keys
    if [ -f "$key" ]; then run "$name.keylog" "$t" "$p" --keylog "$key"; fi
  done
done
echo "$(ls "$out" | wc -l) files in $out"
