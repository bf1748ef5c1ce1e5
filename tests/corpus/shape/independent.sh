#!/usr/bin/env bash
# Scores the independently made TLS captures (tests/corpus/tls: another generator, other tools, ports, paths and
# timing) with a shape model (default: the shipped one; MODEL=FILE for a candidate). Each capture's TLS flows get
# their shape features from their records (what an observer without keys sees) and their label from what the
# decrypted scan of the same flow found (`shape features --keylog`, no session plan: the family is the capture's
# name); `shape score` then scores them. Prints each flow and the totals.
# Usage: [MODEL=FILE] tests/corpus/shape/independent.sh   (builds the CLI in Release first)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
TLS=$ROOT/tests/corpus/tls
MODEL=${MODEL:-$ROOT/Classifier/Shape/shape-model.json}
WORK=$(mktemp -d /tmp/shadowmcp-shape-independent.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
dotnet build "$ROOT/Cli" -c Release -nologo -v quiet >/dev/null
CLI=(dotnet "$ROOT/Cli/bin/Release/net10.0/shadowmcp.dll")
for pcap in "$TLS"/pcaps/*.pcap; do
  name=$(basename "$pcap" .pcap)
  "${CLI[@]}" shape features "$pcap" --keylog "$TLS/keys/$name.keys" -o "$WORK/$name.csv" >/dev/null
done
{ head -n 1 "$(ls "$WORK"/*.csv | head -n 1)"; for t in "$WORK"/*.csv; do tail -n +2 "$t"; done; } >"$WORK/all.tsv"
"${CLI[@]}" shape score "$WORK/all.tsv" --model "$MODEL" --scores "$WORK/scores.csv" --json >"$WORK/score.json"
threshold=$(jq -r .threshold "$WORK/score.json")
printf '%-34s %-8s %-8s %s\n' capture label shape score
awk -F, -v t="$threshold" 'NR > 1 { name = $3; sub(/^mcp:/, "", name)
  printf "%-34s %-8s %-8s %s\n", name, $6, ($7 >= t ? "mcp" : "not-mcp"), $7 }' "$WORK/scores.csv" | sort -s -k1,1
jq -r '"MCP flows marked mcp \(.mcp.marked)/\(.mcp.total); non-MCP flows marked mcp \(.notMcp.marked)/\(.notMcp.total) (threshold \(.threshold))"' \
  "$WORK/score.json"
