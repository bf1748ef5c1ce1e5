#!/usr/bin/env bash
# Scores the independently made TLS captures (tests/corpus/tls: another generator, other tools, ports, paths and
# timing) with the shipped shape model, WITHOUT their key logs, and compares with the labels a scan WITH the key
# logs gives (a flow whose decrypted content is MCP is MCP). Prints each capture's TLS flows and the totals.
# Usage: tests/corpus/shape/independent.sh   (builds the CLI in Release first)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
TLS=$ROOT/tests/corpus/tls
WORK=$(mktemp -d /tmp/shadowmcp-shape-independent.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
dotnet build "$ROOT/Cli" -c Release -nologo -v quiet >/dev/null
CLI=(dotnet "$ROOT/Cli/bin/Release/net10.0/shadowmcp.dll")
printf '%-34s %-6s %-8s %s\n' capture label shape score
for pcap in "$TLS"/pcaps/*.pcap; do
  name=$(basename "$pcap" .pcap)
  "${CLI[@]}" scan "$pcap" --no-store --keylog "$TLS/keys/$name.keys" --flow-log "$WORK/$name.keyed.jsonl" >/dev/null
  "${CLI[@]}" scan "$pcap" --no-store --flow-log "$WORK/$name.keyless.jsonl" >/dev/null
  # Join by client and server; only TLS flows the keyless scan scored by shape, labelled by the decrypted scan.
  jq -rn --arg name "$name" --slurpfile keyed "$WORK/$name.keyed.jsonl" --slurpfile keyless "$WORK/$name.keyless.jsonl" '
    ($keyed | map({key: (.client + ">" + .server), value: .mcp.verdict}) | from_entries) as $verdicts
    | $keyless[] | select(.mcp.basis == "shape") | select($verdicts[.client + ">" + .server] | IN("mcp", "not-mcp"))
    | "\($name) \($verdicts[.client + ">" + .server]) \(.mcp.verdict) \(.mcp.score)"'
done | tee "$WORK/rows.txt" | awk '{ printf "%-34s %-6s %-8s %s\n", $1, $2, $3, $4 }'
awk '$2 == "mcp" { m++; if ($3 == "mcp") tp++ } $2 == "not-mcp" { n++; if ($3 == "mcp") fp++ }
  END { printf "MCP flows marked mcp %d/%d; non-MCP flows marked mcp %d/%d\n", tp, m, fp, n }' "$WORK/rows.txt"
