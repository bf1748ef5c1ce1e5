#!/usr/bin/env bash
# TLS path benchmark: record tracking + JA4 (no keys) and key-log decryption (with keys) of `shadowmcp scan`
# against `tshark -o tls.keylog_file:K -Y http` on the same TLS-heavy loopback capture.
# Run as root (tcpdump on lo). BENCH_RUNS (default 3) runs per tool; each tool pinned to one core.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${BENCH_OUT:-$ROOT/bench/out/tls}
RUNS=${BENCH_RUNS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-400}
PER_CONNECTION=${BENCH_REQUESTS:-25}
mkdir -p "$OUT"
PCAP=$OUT/tls-heavy.pcap
KEYS=$OUT/tls-heavy.keys

if [ ! -s "$PCAP" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost \
    -keyout "$OUT/k.pem" -out "$OUT/c.pem" 2>/dev/null
  tcpdump -i lo --immediate-mode -U -s 0 -w "$PCAP" 'tcp portrange 18701-18702' 2>"$OUT/tcpdump.log" &
  TCPDUMP=$!
  for _ in $(seq 100); do grep -q "listening on" "$OUT/tcpdump.log" && break; sleep 0.1; done
  rm -f "$KEYS"
  node --tls-keylog="$KEYS" "$HERE/traffic.mjs" "$OUT/k.pem" "$OUT/c.pem" "$CONNECTIONS" "$PER_CONNECTION"
  sleep 1
  kill -INT $TCPDUMP; wait $TCPDUMP || true
fi

dotnet build "$ROOT/Cli" -c Release -nologo -v quiet >/dev/null
CLI=(dotnet "$ROOT/Cli/bin/Release/net10.0/shadowmcp.dll")
packets=$(tshark -r "$PCAP" -T fields -e frame.number 2>/dev/null | wc -l)
echo "capture: $PCAP, $(stat -c %s "$PCAP") bytes, $packets packets"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# CPU seconds (user + sys) as well as wall: on a shared machine wall time mostly measures the neighbours.
time_it() { # LABEL COMMAND...
  local label=$1; shift
  local walls=() cpus=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S" -o "$OUT/time.txt" taskset -c 1 "$@" >"$OUT/last.out" 2>"$OUT/last.err" || true
    read -r wall user sys <"$OUT/time.txt"
    walls+=("$wall")
    cpus+=("$(echo "$user + $sys" | bc)")
  done
  local w c
  w=$(printf '%s\n' "${walls[@]}" | median)
  c=$(printf '%s\n' "${cpus[@]}" | median)
  printf '| %s | %.2f s | %.2f s | %s |\n' "$label" "$c" "$w" "$(echo "$packets / $c" | bc)"
}

echo "| tool | CPU (median of $RUNS) | wall | packets per CPU second |"
echo "| --- | ---: | ---: | ---: |"
time_it "shadowmcp --version (process start only)" "${CLI[@]}" --version
time_it "shadowmcp scan (records + JA4, no keys)" "${CLI[@]}" scan "$PCAP" --no-store --format json
time_it "shadowmcp scan --keylog (decrypt + analyze)" "${CLI[@]}" scan "$PCAP" --no-store --format json --keylog "$KEYS"
time_it "tshark -o tls.keylog_file -Y http" tshark -r "$PCAP" -o "tls.keylog_file:$KEYS" -Y http
"${CLI[@]}" scan "$PCAP" --no-store --format json --keylog "$KEYS" | grep -E '"tls|"observations"' || true
