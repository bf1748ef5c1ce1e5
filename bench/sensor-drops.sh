#!/usr/bin/env bash
# Live-capture loss: replays a capture on `lo` with tcpreplay at rising packet rates while `shadowmcp sensor -i lo`
# captures it, stops the sensor with SIGTERM and reads libpcap's own counters from its summary. Prints, per rate,
# packets replayed, received, dropped by the kernel, and whether the sensor kept up; the zero-drop rate is the
# highest rate with no drop. Needs root, tcpreplay (apt-get install tcpreplay) and the .NET SDK.
# Usage: bench/sensor-drops.sh [PCAP] [RATES...]   (default: a 200,000-packet synthetic mix; 10k..400k pps)
#        THREADS=2 runs the sensor with --threads 2; BUFFER_MB sets --buffer-mb (default 64).
# Only synthetic addresses are replayed, on the loopback interface; nothing leaves the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out; mkdir -p "$out"
pcap=${1:-$out/mixed-200k.pcap}
shift || true
rates=("$@"); [ ${#rates[@]} -gt 0 ] || rates=(10000 25000 50000 100000 200000 400000)
buffer=${BUFFER_MB:-64}
threads=${THREADS:-1} # sensor --threads

command -v tcpreplay >/dev/null || { echo "missing tcpreplay (apt-get install tcpreplay)"; exit 1; }
[ -f "$pcap" ] || dotnet run -c Release --project bench/PcapSynth -- "$pcap" 200000
# SHADOWMCP="dotnet Cli/bin/Debug/net10.0/shadowmcp.dll" reuses a build instead of publishing a Release one.
if [ -z "${SHADOWMCP:-}" ]; then
  dotnet publish Cli -c Release -o "$out/shadowmcp" >/dev/null
  SHADOWMCP="$out/shadowmcp/shadowmcp"
fi
read -r -a sensor <<<"$SHADOWMCP"

printf "%-10s %-10s %-10s %-10s %-12s %s\n" "pps" "replayed" "received" "dropped" "if-dropped" "sensor"
for pps in "${rates[@]}"; do
  log="$out/sensor-$pps"
  "${sensor[@]}" sensor -i lo --filter "tcp or udp" --buffer-mb "$buffer" --threads "$threads" --no-promiscuous --format json \
    --db "$out/drops.db" --flush-seconds 3600 -v >"$log.json" 2>"$log.err" &
  pid=$!
  until grep -q "capturing on lo" "$log.err" 2>/dev/null; do sleep 0.2; done
  replayed=$(tcpreplay -i lo --pps "$pps" "$pcap" 2>&1 | awk '/Successful packets:/ {print $3}')
  kill -TERM "$pid"; wait "$pid" || true
  read -r received dropped ifdropped packets < <(python3 -c '
import json,sys; s=json.load(open(sys.argv[1]))["stats"]
print(s["captureReceived"], s["captureDropped"], s["captureInterfaceDropped"], s["packets"])' "$log.json")
  printf "%-10s %-10s %-10s %-10s %-12s %s packets read\n" "$pps" "$replayed" "$received" "$dropped" "$ifdropped" "$packets"
done
