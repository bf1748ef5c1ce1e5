#!/usr/bin/env bash
# Generates the shape corpus: MCP sessions (TypeScript SDK and C# SDK clients and servers, TLS 1.2 and 1.3,
# HTTP/1.1 and h2, Streamable HTTP (with sessions, and the C# SDK's 2026-07-28 sessionless protocol) and the C# SDK's legacy HTTP+SSE; short, agent-with-think-time, large-result, progress and idle-with-push sessions), sessions of
# stacks kept apart for held-out tests (the Vercel AI SDK's MCP client and the tmcp server, Streamable HTTP and legacy
# HTTP+SSE, pinned in ../gen/ts-alt) and non-MCP HTTPS look-alikes (19 families by default, 27 with FAMILIES, 28 with legacy-lookalikes), all on 127.0.0.1, captured with tcpdump on lo together with every process's
# TLS key log. Then labels every TLS flow by decrypting it with our own scanner and writes the feature table.
# Usage (root): tests/corpus/shape/generate.sh [OUT_DIR]   (default tests/corpus/shape/out, not committed)
# SCALE=N repeats the session plan N times (default 1: 190 MCP and 114 non-MCP sessions, about 25 minutes).
# A supplement to an existing table (new stacks or families only, without regenerating the rest): PARTS names the
# plan's parts to run (default: typescript csharp sessionless json-stateless reader held-out lookalikes, the plan the
# shipped model's table was made with; ts-sse, the eighth round's second legacy-SSE server, and sessionless-fanout,
# the twelfth round's sessionless client opening a second connection at the start, and legacy-lookalikes, the
# thirteenth round's look-alikes of the legacy HTTP+SSE layout on real npm software (LEGACY_FAMILIES, default
# sse-channel), only when named),
# FAMILIES the look-alike families, LOOKALIKE_SEEDS the seeds of each family per pass (default 1-6; other seeds give
# more look-alike sessions of the same families, e.g. LOOKALIKE_SEEDS="7 8 9 10 11 12"), PORT_BASE the first server
# port (default 19000; keep it above the table's last port so the two sessions.csv and features.csv can be
# concatenated; the capture takes ports 19000-20999, or PORT_BASE to PORT_BASE+1999 when PORT_BASE is above 20999).
# The tenth round's bulk families (pkg-mirror object-store hls-fetch) and the eleventh round's RPC families on real
# npm software (trpc connect-rpc yoga-sse jsonrpc-batch eth-node) run only when FAMILIES names them, so the default plan is
# unchanged.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
GEN=$HERE/../gen
OUT=${1:-$HERE/out}
SCALE=${SCALE:-1}
PARTS=${PARTS:-typescript csharp sessionless json-stateless reader held-out lookalikes}
LOOKALIKE_SEEDS=${LOOKALIKE_SEEDS:-1 2 3 4 5 6}
FAMILIES=${FAMILIES:-chat-sse a2a-sse graphql-poll websocket long-poll rest-client telemetry download jsonrpc-feed \
sse-feed h2-rpc jsonrpc-post rest-crud eth-rpc webhook chat-post-sse graphql-sse metrics-scrape asset-fetch}
part() { [[ " $PARTS " == *" $1 "* ]]; }
WORK=$(mktemp -d /tmp/shadowmcp-shape.XXXXXX)
die() { echo "shape/generate.sh: $* (work files in $WORK)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (tcpdump on lo)"
for tool in tcpdump openssl dotnet node npm; do command -v $tool >/dev/null || die "missing $tool"; done

TCPDUMP_PID=""
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -n "$TCPDUMP_PID" ] && kill -INT "$TCPDUMP_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

echo "== build generators"
(cd "$GEN/ts" && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
(cd "$GEN/ts-alt" && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
dotnet build "$GEN/csharp/CorpusGen.csproj" -c Release -nologo -v quiet -o "$WORK/cs" >"$WORK/dotnet-build.log" 2>&1 \
  || { cat "$WORK/dotnet-build.log" >&2; die "dotnet build failed"; }
# The Node scripts import the SDK: run them from a folder beside the generator's node_modules.
mkdir -p "$WORK/js"
cp "$HERE"/*.mjs "$GEN/ts/args.mjs" "$GEN/ts/agent-mix.mjs" "$WORK/js/"
ln -s "$GEN/ts/node_modules" "$WORK/js/node_modules"
JS=$WORK/js
mkdir -p "$WORK/js-alt"
cp "$GEN/ts-alt"/*.mjs "$GEN/ts/args.mjs" "$GEN/ts/agent-mix.mjs" "$WORK/js-alt/"
ln -s "$GEN/ts-alt/node_modules" "$WORK/js-alt/node_modules"
JS_ALT=$WORK/js-alt

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null
openssl pkcs12 -export -keypbe NONE -certpbe NONE -passout pass: -inkey "$WORK/tls.key" -in "$WORK/tls.crt" \
  -out "$WORK/tls.pfx"
export NODE_TLS_REJECT_UNAUTHORIZED=0 # the corpus' own self-signed loopback certificate
export DOTNET_CLI_TELEMETRY_OPTOUT=1
NODE_TLS=(--tls-key "$WORK/tls.key" --tls-cert "$WORK/tls.crt")

mkdir -p "$OUT"
SESSIONS=$OUT/sessions.csv
echo "port,family,client_stack,server_stack,tls,http,behaviour" >"$SESSIONS"
KEYS=$WORK/keys
mkdir -p "$KEYS"
PORT=${PORT_BASE:-19000}
# The plan and the supplements up to the ninth round take 19000-20999; a supplement from 21000 on (the tenth round's
# bulk families) gets the 2000 ports from its PORT_BASE, so its sessions never share a port with an earlier table's.
CAPTURE_PORTS=19000-20999; [ "$PORT" -gt 20999 ] && CAPTURE_PORTS=$PORT-$((PORT + 1999))
tcpdump -i lo --immediate-mode -U -s 0 -w "$OUT/shape.pcap" "tcp portrange $CAPTURE_PORTS" 2>"$WORK/tcpdump.log" &
TCPDUMP_PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/tcpdump.log" 2>/dev/null && break; sleep 0.1; done

wait_ready() { for _ in $(seq 300); do grep -q READY "$1" 2>/dev/null && return 0; sleep 0.1; done; cat "$1" >&2; die "server not ready"; }

# mcp CLIENT_STACK SERVER_STACK TLS HTTP BEHAVIOUR "SERVER ARGS" "CLIENT ARGS" [PATH]
mcp() {
  local cstack=$1 sstack=$2 tlsv=$3 httpv=$4 behaviour=$5 sargs=$6 cargs=$7 path=${8:-/mcp} port=$((PORT++)) slog
  # AGENTS=varied: every client thinks, varies its arguments and mixes its calls from a seed (the seventh round);
  # the default, fixed, is the fifth corpus's agents, which the shipped model's table was made with.
  local SEED_ARG=""; [ "${AGENTS:-fixed}" = varied ] && SEED_ARG="--seed $port"
  slog=$WORK/server-$port.log
  if [ "$sstack" = csharp ]; then
    local max=1.3; [ "$tlsv" = 1.2 ] && max=1.2
    # shellcheck disable=SC2086
    SSLKEYLOGFILE=$KEYS/s$port.keys dotnet "$WORK/cs/corpus-gen.dll" server --tls-cert "$WORK/tls.pfx" \
      --host 127.0.0.1 --port "$port" --tls-max "$max" $sargs >"$slog" 2>&1 &
  elif [ "$sstack" = tmcp ] || [ "$sstack" = tmcp-sse ]; then
    local max=TLSv1.3 transport=http; [ "$tlsv" = 1.2 ] && max=TLSv1.2; [ "$sstack" = tmcp-sse ] && transport=sse
    # shellcheck disable=SC2086
    node --tls-keylog="$KEYS/s$port.keys" "$JS_ALT/server-alt.mjs" "${NODE_TLS[@]}" --port "$port" --tls-max "$max" \
      --transport $transport $sargs >"$slog" 2>&1 &
  else
    local max=TLSv1.3; [ "$tlsv" = 1.2 ] && max=TLSv1.2
    # shellcheck disable=SC2086
    node --tls-keylog="$KEYS/s$port.keys" "$JS/server.mjs" "${NODE_TLS[@]}" --port "$port" --tls-max "$max" $sargs \
      >"$slog" 2>&1 &
  fi
  SERVER_PID=$!
  wait_ready "$slog"
  local url="https://127.0.0.1:$port$path"
  [ "$sstack" = tmcp-sse ] && url="https://127.0.0.1:$port/sse"
  if [ "$cstack" = aisdk ]; then
    local transport=http; [ "$sstack" = tmcp-sse ] && transport=sse
    # shellcheck disable=SC2086
    timeout 120 node --tls-keylog="$KEYS/c$port.keys" "$JS_ALT/agent-alt.mjs" --url "$url" --transport $transport $SEED_ARG $cargs \
      >"$WORK/client-$port.log" 2>&1 || echo "  client failed on $port" >&2
  elif [ "$cstack" = csharp ]; then
    # shellcheck disable=SC2086
    local transport="--transport streamable"; [[ "$cargs" == *--transport* ]] && transport=""
    # shellcheck disable=SC2086
    SSLKEYLOGFILE=$KEYS/c$port.keys timeout 120 dotnet "$WORK/cs/corpus-gen.dll" client --insecure-tls --url "$url" \
      $transport $SEED_ARG $cargs >"$WORK/client-$port.log" 2>&1 || echo "  client failed on $port" >&2
  else
    # shellcheck disable=SC2086
    timeout 120 node --tls-keylog="$KEYS/c$port.keys" "$JS/agent.mjs" --url "$url" $SEED_ARG $cargs >"$WORK/client-$port.log" 2>&1 \
      || echo "  client failed on $port" >&2
  fi
  kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  echo "$port,mcp,$cstack,$sstack,$tlsv,$httpv,$behaviour" >>"$SESSIONS"
}

lookalike() { # FAMILY TLS SEED
  local port=$((PORT++)) max=TLSv1.3; [ "$2" = 1.2 ] && max=TLSv1.2
  local httpv=http/1.1; [ "$1" = h2-rpc ] && httpv=h2
  [ "$1" = connect-rpc ] && [ $(($3 % 2)) = 0 ] && httpv=h2 # the eleventh round's Connect family: h2 on even seeds
  timeout 120 node --tls-keylog="$KEYS/l$port.keys" "$JS/lookalikes.mjs" --family "$1" --port "$port" --seed "$3" \
    --tls-max "$max" "${NODE_TLS[@]}" >"$WORK/lookalike-$port.log" 2>&1 || echo "  look-alike $1 failed on $port" >&2
  echo "$port,$1,node,node,$2,$httpv,$1" >>"$SESSIONS"
}

TS_BEHAVIOURS=(
  "short|--calls 1"
  "agent|--calls 4 --think-ms 700"
  "agent-long|--calls 8 --think-ms 1500"
  "large|--calls 1 --big 150000"
  "progress|--calls 1 --progress 5"
  "idle|--calls 1 --idle-ms 4000"
  "burst|--calls 12 --think-ms 100"
)
CS_BEHAVIOURS=(
  "short|"
  "agent|--calls 3 --think-ms 700"
  "agent-long|--calls 6 --think-ms 1500"
)
CS_SESSIONLESS_BEHAVIOURS=(
  "short|"
  "agent|--calls 3 --think-ms 700"
  "agent-long|--calls 6 --think-ms 1500"
  "large|--big 150000"
  "progress|--progress 5"
  "idle|--idle-ms 4000"
  "burst|--calls 12 --think-ms 100"
  "parallel|--calls 6 --parallel 3 --think-ms 700"
)
for ((rep = 0; rep < SCALE; rep++)); do
  part typescript && echo "== MCP: TypeScript client" &&
  for tlsv in 1.3 1.2; do
    for b in "${TS_BEHAVIOURS[@]}"; do
      name=${b%%|*}; cargs=${b#*|}
      for mode in stateful json stateless; do
        push=""; [ "$name" = idle ] && [ "$mode" = stateful ] && push="--push-ms 700"
        mcp typescript typescript "$tlsv" http/1.1 "$name-$mode" "--mode $mode $push" "$cargs"
      done
      mcp typescript csharp "$tlsv" http/1.1 "$name-cs" "--session stateful" "${cargs/--big 150000/}"
    done
  done
  part csharp && echo "== MCP: C# client" &&
  for tlsv in 1.3 1.2; do
    for b in "${CS_BEHAVIOURS[@]}"; do
      name=${b%%|*}; cargs=${b#*|}
      mcp csharp csharp "$tlsv" h2 "$name-h2" "--session stateful" "--http2 $cargs"
      mcp csharp csharp "$tlsv" http/1.1 "$name-h1" "--session stateful" "$cargs"
      mcp csharp typescript "$tlsv" http/1.1 "$name-ts-stateful" "--mode stateful" "$cargs"
      mcp csharp typescript "$tlsv" http/1.1 "$name-ts-json" "--mode json" "$cargs"
      # The legacy HTTP+SSE transport (2024-11-05) of the C# SDK: a transport the held-out tmcp server also speaks.
      mcp csharp csharp "$tlsv" http/1.1 "$name-sse" "--session stateful --legacy-sse" \
        "--transport sse --protocol 2024-11-05 $cargs" /mcp/sse
    done
  done
  part sessionless && echo "== MCP: C# client, 2026-07-28 sessionless (server/discover, no initialize, no session id)" &&
  # The C# SDK client asks for 2026-07-28 by default; the C# server in Stateless mode serves it per request.
  for tlsv in 1.3 1.2; do
    for b in "${CS_SESSIONLESS_BEHAVIOURS[@]}"; do
      name=${b%%|*}; cargs=${b#*|}
      mcp csharp csharp "$tlsv" http/1.1 "$name-sessionless" "--session stateless --shape-tools" "$cargs"
      mcp csharp csharp "$tlsv" h2 "$name-sessionless-h2" "--session stateless --shape-tools" "--http2 $cargs"
    done
  done
  part sessionless-fanout && echo "== MCP: C# client, 2026-07-28 sessionless, first requests sent together (HTTP/1.1)" &&
  # The twelfth round: the AI SDK's sessionless client sends its first requests together, so HTTP/1.1 opens a short
  # second connection beside the one that carries the session; --fanout does that with the C# SDK client, picking
  # connections as undici does (FirstFreeConnectionHandler).
  for tlsv in 1.3 1.2; do
    for b in "${CS_SESSIONLESS_BEHAVIOURS[@]}"; do
      name=${b%%|*}; cargs=${b#*|}
      mcp csharp csharp "$tlsv" http/1.1 "$name-sessionless-fanout" "--session stateless --shape-tools" "--fanout $cargs"
    done
  done
  part json-stateless && echo "== MCP: C# client, TypeScript server stateless with plain JSON answers" &&
  # No session id and every answer one application/json body (sessionIdGenerator undefined, enableJsonResponse):
  # the answer framing of sessionless servers like tmcp, on a training stack. The TypeScript SDK server does not
  # speak 2026-07-28, so the C# client's discovery is refused and it falls back to initialize.
  for tlsv in 1.3 1.2; do
    for b in "${CS_SESSIONLESS_BEHAVIOURS[@]}"; do
      name=${b%%|*}; cargs=${b#*|}
      mcp csharp typescript "$tlsv" http/1.1 "$name-ts-stateless" "--mode stateless" "$cargs"
    done
  done
  part reader && echo "== MCP: agents reading several large results (files, pages) through the SDK servers" &&
  # Several answers far larger than their requests on one session, as bulk fetchers have: MCP can do that too.
  for tlsv in 1.3 1.2; do
    reads="--reads 5 --think-ms 300"
    for mode in stateful json stateless; do mcp typescript typescript "$tlsv" http/1.1 "reader-$mode" "--mode $mode" "$reads"; done
    mcp typescript csharp "$tlsv" http/1.1 "reader-cs" "--session stateful --shape-tools" "$reads"
    mcp csharp csharp "$tlsv" http/1.1 "reader-h1" "--session stateful --shape-tools" "$reads"
    mcp csharp csharp "$tlsv" h2 "reader-h2" "--session stateful --shape-tools" "--http2 $reads"
    mcp csharp csharp "$tlsv" http/1.1 "reader-sessionless" "--session stateless --shape-tools" "$reads"
    mcp csharp csharp "$tlsv" h2 "reader-sessionless-h2" "--session stateless --shape-tools" "--http2 $reads"
    mcp csharp typescript "$tlsv" http/1.1 "reader-ts-stateless" "--mode stateless" "$reads"
  done
  part ts-sse && echo "== MCP: the TypeScript SDK server's legacy HTTP+SSE transport (TypeScript and C# clients)" &&
  # A second training server stack for the legacy transport (2024-11-05), beside the C# server's: the held-out tmcp
  # server speaks it too, and a model that has seen one server's framing of it learns that server.
  for tlsv in 1.3 1.2; do
    for b in "${TS_BEHAVIOURS[@]}"; do
      name=${b%%|*}; cargs=${b#*|}
      push=""; [ "$name" = idle ] && push="--push-ms 700"
      mcp typescript typescript "$tlsv" http/1.1 "$name-ts-sse" "--mode sse $push" "--transport sse $cargs" /mcp/sse
      mcp csharp typescript "$tlsv" http/1.1 "$name-ts-sse" "--mode sse $push" \
        "--transport sse --protocol 2024-11-05 $cargs" /mcp/sse
    done
  done
  part held-out && echo "== MCP: held-out stacks (AI SDK client, tmcp server)" && {
  i=0
  for b in "${TS_BEHAVIOURS[@]}"; do
    name=${b%%|*}; cargs=${b#*|}
    tlsv=1.3; [ $(((i + rep) % 2)) = 1 ] && tlsv=1.2; i=$((i + 1))
    mcp aisdk tmcp "$tlsv" http/1.1 "$name-tmcp" "" "$cargs"
    mcp aisdk tmcp-sse "$tlsv" http/1.1 "$name-tmcp-sse" "$([ "$name" = idle ] && echo --push-ms 700)" "$cargs"
    mcp aisdk typescript "$tlsv" http/1.1 "$name-ts-stateful" "--mode stateful" "$cargs"
    mcp aisdk csharp "$tlsv" http/1.1 "$name-cs" "--session stateful" "${cargs/--big 150000/}"
    mcp typescript tmcp "$tlsv" http/1.1 "$name-tmcp" "$([ "$name" = idle ] && echo --push-ms 700)" "$cargs"
  done
  for b in "${CS_BEHAVIOURS[@]}"; do
    name=${b%%|*}; cargs=${b#*|}
    mcp csharp tmcp "$([ "$rep" = 1 ] && echo 1.2 || echo 1.3)" http/1.1 "$name-tmcp" "" "$cargs"
  done
  }
  part legacy-lookalikes && echo "== look-alikes with the legacy HTTP+SSE layout, on real software" &&
  # The thirteenth round: sse-channel (a better-sse hub read by the eventsource client; a GET event stream beside
  # POSTs answered 202, each broadcast on the stream), a relative of chat-post-sse on the other half of the family
  # split (ShapeSplits puts a family it does not name on the halves alternately in name order).
  for family in ${LEGACY_FAMILIES:-sse-channel}; do
    for seed in $LOOKALIKE_SEEDS; do
      tlsv=1.3; [ $((seed % 3)) = 0 ] && tlsv=1.2
      lookalike "$family" "$tlsv" "$((seed + rep * 100))"
    done
  done
  part lookalikes && echo "== look-alikes" &&
  for family in $FAMILIES; do
    for seed in $LOOKALIKE_SEEDS; do
      tlsv=1.3; [ $((seed % 3)) = 0 ] && tlsv=1.2
      lookalike "$family" "$tlsv" "$((seed + rep * 100))"
    done
  done
done

sleep 1
kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" || true; TCPDUMP_PID=""
cat "$KEYS"/*.keys >"$OUT/shape.keys"

echo "== label (decrypted scan) and extract features"
dotnet run --project "$ROOT/Cli" -c Release -- shape features "$OUT/shape.pcap" --keylog "$OUT/shape.keys" \
  --sessions "$SESSIONS" -o "$OUT/features.csv"
echo "wrote $OUT/features.csv; train with: tests/corpus/shape/train.sh $OUT/features.csv"
rm -rf "$WORK"
