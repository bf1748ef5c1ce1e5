#!/usr/bin/env bash
# Passive-detection throughput: `shadowmcp scan` against tshark and ndpiReader on the same capture, one core each.
# Usage: bench/scan-bench.sh [PCAP] [PACKETS]
#   Without PCAP it synthesizes a mixed capture (bulk HTTP, TLS, DNS, MCP sessions, JSON-RPC look-alikes) of
#   PACKETS packets (default 1,200,000) with bench/PcapSynth. The file holds only synthetic addresses; nothing is sent.
# Needs: tshark (apt-get install tshark), ndpiReader (apt-get install libndpi-bin), the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out; mkdir -p "$out"
pcap=${1:-$out/mixed.pcap}
packets=${2:-1200000}
core=${BENCH_CORE:-1}
runs=${BENCH_RUNS:-3}

for tool in tshark ndpiReader taskset /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install tshark libndpi-bin util-linux time)"; exit 1; }
done

if [ ! -f "$pcap" ]; then
  dotnet run -c Release --project bench/PcapSynth -- "$pcap" "$packets"
fi
dotnet publish Cli -c Release -p:PublishProfile=linux-x64 -o "$out/shadowmcp" >/dev/null
n=$(capinfos -c -M "$pcap" | awk '/Number of packets/ {print $NF}')
cat "$pcap" > /dev/null # page cache warm for every tool alike

# Median wall seconds of $runs runs of a command pinned to one core.
measure() {
  local name=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S" -o "$out/time.txt" taskset -c "$core" "$@" > "$out/$name.out" 2>&1 || true
    times+=("$(cat "$out/time.txt")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$n" -v name="$name" 'NR==int(('"$runs"'+1)/2) { print name, $1, $2+$3 }' >> "$out/results.tsv"
}

echo "capture: $pcap ($n packets, $(du -h "$pcap" | cut -f1)), core $core, median of $runs"
rm -f "$out/results.tsv"
measure shadowmcp dotnet "$out/shadowmcp/shadowmcp.dll" scan "$pcap" --no-store --format json
measure tshark tshark -r "$pcap" -Y 'http.request.uri contains "mcp"'
measure ndpiReader ndpiReader -i "$pcap" -q
awk -v n="$n" '{ printf "%-11s wall %7.2f s  cpu %7.2f s  %9.0f packets/s (wall)  %9.0f packets/s (cpu)\n", $1, $2, $3, n/$2, n/$3; w[$1]=$2; c[$1]=$3 }
  END { printf "shadowmcp vs tshark: %.2fx (wall) %.2fx (cpu); vs ndpiReader: %.2fx (wall) %.2fx (cpu)\n",
        w["tshark"]/w["shadowmcp"], c["tshark"]/c["shadowmcp"], w["ndpiReader"]/w["shadowmcp"], c["ndpiReader"]/c["shadowmcp"] }' "$out/results.tsv"
