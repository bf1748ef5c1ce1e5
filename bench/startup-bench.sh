#!/usr/bin/env bash
# Start-up cost of a one-shot scan: the same `shadowmcp scan --format json --no-store` under each runtime setting,
# whole process, median of BENCH_RUNS (5) runs of CPU (user + sys) and wall seconds, one core.
# Usage: bench/startup-bench.sh [PCAP...]
#   Without PCAP: the bundled sample and an MCP-dense capture of 500,000 packets made by bench/PcapSynth
#   (synthetic addresses only; nothing is sent). BENCH_SETTINGS='A=1 B=0;C=1' replaces the list of settings.
# Needs: /usr/bin/time and taskset (apt-get install time util-linux), the .NET SDK; ReadyToRun needs the
# linux-x64 runtime pack, which `dotnet publish -r linux-x64` restores from NuGet.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/startup; mkdir -p "$out"
core=${BENCH_CORE:-1}
runs=${BENCH_RUNS:-5}
for tool in taskset /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install time util-linux)"; exit 1; }
done

pcaps=("$@")
if [ ${#pcaps[@]} -eq 0 ]; then
  [ -f "$out/dense.pcap" ] || dotnet run -c Release --project bench/PcapSynth -- "$out/dense.pcap" 500000 mcp-dense
  pcaps=(samples/shadow-mcp-sample.pcap "$out/dense.pcap")
fi
# JIT only: the project's own build without ReadyToRun images. BENCH_NO_PUBLISH=1 reuses the last two publishes.
if [ "${BENCH_NO_PUBLISH:-0}" != 1 ]; then
dotnet publish Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=false -o "$out/jit" >/dev/null
dotnet publish Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/r2r" >/dev/null
fi

# Prints "cpu wall" medians of $runs runs of: env SETTINGS dotnet DLL scan PCAP.
measure() {
  local dll=$1 pcap=$2; shift 2
  local cpus=() walls=()
  for _ in $(seq "$runs"); do
    env "$@" /usr/bin/time -f "%U %S %e" -o "$out/time.txt" taskset -c "$core" dotnet "$dll" scan "$pcap" --format json --no-store > /dev/null
    read -r user sys wall < "$out/time.txt"
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"); walls+=("$wall")
  done
  local mid=$(( (runs + 1) / 2 ))
  echo "$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${mid}p") $(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p")"
}

printf '| capture | build | settings | CPU s | wall s |\n|---|---|---|---:|---:|\n'
for pcap in "${pcaps[@]}"; do
  cat "$pcap" > /dev/null
  for build in jit r2r; do
    IFS=';' read -r -a settings_list <<< "${BENCH_SETTINGS:-DOTNET_NOTHING=1;DOTNET_TieredPGO=0;DOTNET_TieredCompilation=0;DOTNET_TC_QuickJit=0;DOTNET_gcServer=0}"
    for settings in "${settings_list[@]}"; do
      # shellcheck disable=SC2086
      read -r cpu wall < <(measure "$out/$build/shadowmcp.dll" "$pcap" $settings)
      label=${settings/DOTNET_NOTHING=1/default}
      printf '| %s | %s | %s | %s | %s |\n' "$(basename "$pcap")" "$build" "$label" "$cpu" "$wall"
    done
  done
done
