#!/usr/bin/env bash
# Coverage-guided fuzzing of the Scanner's network parsers with afl++ and SharpFuzz.
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]      (default: 60 s each, every target)
# Builds fuzz/ShadowMcp.Fuzz, instruments the Scanner and Core assemblies, runs afl-fuzz on each target from the
# committed seed corpus, and copies every crash into tests/ShadowMcp.Scanner.Tests/Fuzz/crashes/<target>/ where
# the unit tests replay it. Needs: apt-get install afl++; the sharpfuzz tool is installed into the work folder.
# Exit 0: no crash; 1: a crash was found (and copied); 2: afl++ is missing. A target afl-fuzz could not start
# also exits 1, with its log named. .ci/run calls this with a few seconds per target; the long run is documented
# in docs/sensor-hardening.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}; shift || true
work=${FUZZ_WORK:-/tmp/shadowmcp-fuzz}
fuzzdir=tests/ShadowMcp.Scanner.Tests/Fuzz
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(capture decode http sse jsonrpc dns tls serverhello h2 hpack decompress)
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install -y afl++" >&2; exit 2; }

mkdir -p "$work"
if [ ! -x "$work/tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$work/tools" >/dev/null
fi
# A fresh output each run: sharpfuzz refuses an assembly it already instrumented.
rm -rf "$work/bin"
dotnet publish fuzz/ShadowMcp.Fuzz -c Release -o "$work/bin" -v q --nologo >/dev/null
for dll in ShadowMcp.Scanner.dll ShadowMcp.Core.dll; do "$work/tools/sharpfuzz" "$work/bin/$dll" >/dev/null; done

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1
status=0
for t in "${targets[@]}"; do
  out="$work/findings/$t"
  rm -rf "$out"; mkdir -p "$work/findings"
  afl-fuzz -i "$fuzzdir/corpus/$t" -o "$out" -t 10000 -m none -V "$seconds" -- dotnet "$work/bin/ShadowMcp.Fuzz.dll" "$t" \
    > "$work/$t.log" 2>&1 || { echo "$t: afl-fuzz failed, see $work/$t.log" >&2; status=1; continue; }
  stats="$out/default/fuzzer_stats"
  execs=$(awk -F' *: *' '$1=="execs_done"{print $2}' "$stats")
  runtime=$(awk -F' *: *' '$1=="run_time"{print $2}' "$stats")
  paths=$(awk -F' *: *' '$1=="corpus_count"{print $2}' "$stats")
  crashes=$(find "$out/default/crashes" -type f -name 'id:*' | wc -l)
  hangs=$(find "$out/default/hangs" -type f -name 'id:*' | wc -l)
  echo "$t: ${execs} execs in ${runtime} s, ${paths} corpus entries, ${crashes} crashes, ${hangs} hangs"
  if [ "$crashes" -gt 0 ]; then
    mkdir -p "$fuzzdir/crashes/$t"
    for f in "$out"/default/crashes/id:*; do
      cp "$f" "$fuzzdir/crashes/$t/afl-$(sha1sum "$f" | cut -c1-12).bin"
    done
    status=1
  fi
done
exit "$status"
