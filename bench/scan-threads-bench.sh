#!/usr/bin/env bash
# `scan --threads N` on an MCP-dense capture: wall, CPU (user + sys) and peak RSS of the whole process for each N in
# BENCH_THREADS and each GC in BENCH_GC, against ndpiReader on the same file; checks that every N prints the same
# JSON (memoryPeakBytes aside: each shard measures its own flow state).
# Usage: bench/scan-threads-bench.sh [PCAP] [PACKETS]
#   Without PCAP: bench/PcapSynth writes an mcp-dense capture of PACKETS packets (default 1,000,000; synthetic
#   addresses only, nothing is sent). BENCH_THREADS="1 2" (default), BENCH_GC="shipped server workstation" (default:
#   shipped, the Cli's runtimeconfig: workstation GC with System.GC.ConserveMemory=9; server sets DOTNET_gcServer=1,
#   workstation DOTNET_gcServer=0, both with ConserveMemory off), BENCH_RUNS=3, BENCH_CORES=0-1.
# Needs: ndpiReader (apt-get install libndpi-bin), /usr/bin/time and taskset (apt-get install time util-linux),
# python3, the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/threads; mkdir -p "$out"
pcap=${1:-$out/dense.pcap}
packets=${2:-1000000}
runs=${BENCH_RUNS:-3}
cores=${BENCH_CORES:-0-1}
threads_list=${BENCH_THREADS:-1 2}
gc_list=${BENCH_GC:-shipped}

for tool in ndpiReader taskset /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install libndpi-bin time util-linux python3)"; exit 1; }
done
[ -f "$pcap" ] || dotnet run -c Release --project bench/PcapSynth -- "$pcap" "$packets" mcp-dense
[ "${BENCH_NO_PUBLISH:-0}" = 1 ] || dotnet publish Cli -c Release -p:PublishProfile=linux-x64 -o "$out/shadowmcp" >/dev/null
n=$(capinfos -c -M "$pcap" | awk '/Number of packets/ {print $NF}')
cat "$pcap" > /dev/null # page cache warm for every tool alike
rm -f "$out"/shadowmcp-*.out # compare this run's outputs only, not an earlier run's with other settings

# Prints "wall cpu rss_mib" medians (each column on its own) of $runs runs of a command on $cores.
measure() {
  local name=$1; shift
  rm -f "$out/$name.times"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o "$out/time.txt" taskset -c "$cores" "$@" > "$out/$name.out" 2> "$out/$name.err" || true
    cat "$out/time.txt" >> "$out/$name.times"
  done
  python3 - "$out/$name.times" "$name" "$n" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
wall = statistics.median(r[0] for r in rows); cpu = statistics.median(r[1] + r[2] for r in rows)
rss = statistics.median(r[3] for r in rows) / 1024
print(f"{sys.argv[2]:<28} wall {wall:6.2f} s  cpu {cpu:6.2f} s  peak RSS {rss:6.0f} MiB  {int(sys.argv[3]) / wall:9.0f} packets/s (wall)")
PY
}

echo "capture: $pcap ($n packets, $(du -h "$pcap" | cut -f1)), cores $cores, median of $runs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for gc in $gc_list; do
  case $gc in
    shipped) gcenv=() ;;
    server) gcenv=(DOTNET_gcServer=1 DOTNET_GCConserveMemory=0) ;;
    workstation) gcenv=(DOTNET_gcServer=0 DOTNET_GCConserveMemory=0) ;;
    *) echo "BENCH_GC: unknown '$gc' (shipped, server, workstation)"; exit 2 ;;
  esac
  for t in $threads_list; do
    measure "shadowmcp-$gc-t$t" env ${gcenv[@]+"${gcenv[@]}"} "$out/shadowmcp/shadowmcp" scan "$pcap" --no-store --format json --threads "$t"
  done
done
measure ndpiReader ndpiReader -i "$pcap" -q

# Same answer whatever the thread count.
python3 - "$out" <<'PY'
import glob, json, sys
docs = {}
for f in sorted(glob.glob(sys.argv[1] + "/shadowmcp-*.out")):
    d = json.load(open(f)); d["stats"].pop("memoryPeakBytes", None); docs[f] = json.dumps(d)
same = len(set(docs.values())) == 1
print("outputs identical across thread counts and GCs:", same, f"({len(docs)} runs compared)")
sys.exit(0 if same else 1)
PY
