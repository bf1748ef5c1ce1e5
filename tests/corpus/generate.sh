#!/usr/bin/env bash
# Regenerates tests/corpus/pcaps/* and tests/corpus/manifest.json from real traffic on loopback:
# MCP sessions between the official C# and TypeScript SDKs, non-MCP look-alikes, DNS and TLS.
# Run as root (tcpdump on lo, a DNS responder on 127.0.0.53:53, TLS servers on :443).
# ONLY="name ..." regenerates just those scenarios and merges them into the existing manifest.
# Needs tcpdump, editcap, tshark, openssl, dotnet (SDK 10), node 20 + npm. Installs only `npm ci` in gen/ts.
# Every server binds and every client dials 127.0.0.0/8 or ::1 only.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GEN=$HERE/gen
OUT=$HERE/pcaps
WORK=$(mktemp -d /tmp/shadowmcp-corpus.XXXXXX)
ENTRIES=$WORK/entries.jsonl
: >"$ENTRIES"

die() { echo "generate.sh: $* (work files kept in $WORK)" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "missing '$1': $2"; }

[ "$(id -u)" = 0 ] || die "run as root (tcpdump on lo, DNS on port 53, TLS on port 443)"
need tcpdump "apt-get install tcpdump"
need tshark "apt-get install tshark"
need editcap "apt-get install wireshark-common"
need openssl "apt-get install openssl"
need dotnet "install the .NET 10 SDK"
need node "install Node.js 20 (and npm)"
need npm "install Node.js 20 (and npm)"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || die "node 20 or newer is required"

# --- processes we start, ended by pid only ------------------------------------------------------------
SERVER_PID=""
TCPDUMP_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -n "$TCPDUMP_PID" ] && kill -INT "$TCPDUMP_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

wait_for_line() { # FILE PATTERN SECONDS WHAT
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  cat "$1" >&2 || true
  die "timed out waiting for $4"
}

# start_capture NAME FILTER [tcpdump options...]; IFACE overrides the interface (default lo).
start_capture() {
  local name=$1 filter=$2
  shift 2
  CAPTURE_FILE=$WORK/$name.pcap
  # --immediate-mode: without it TPACKET_V3 hands packets over per block, and SIGINT loses the last block.
  tcpdump -i "${IFACE:-lo}" --immediate-mode -U -s 0 "$@" -w "$CAPTURE_FILE" "$filter" 2>"$WORK/$name.tcpdump.log" &
  TCPDUMP_PID=$!
  wait_for_line "$WORK/$name.tcpdump.log" "listening on" 10 "tcpdump ($name)"
}

# stop_capture NAME [pcapng]: a short pause lets the last FIN/ACKs land, SIGINT makes tcpdump flush.
stop_capture() {
  local name=$1 format=${2:-pcap}
  sleep 1
  kill -INT "$TCPDUMP_PID"
  wait "$TCPDUMP_PID" || true
  TCPDUMP_PID=""
  if [ "$format" = pcapng ]; then
    editcap -F pcapng "$CAPTURE_FILE" "$OUT/$name.pcapng"
    FILE=$name.pcapng
  else
    cp "$CAPTURE_FILE" "$OUT/$name.pcap"
    FILE=$name.pcap
  fi
}

start_server() { # NAME COMMAND...
  local name=$1
  shift
  "$@" >"$WORK/$name.server.log" 2>&1 &
  SERVER_PID=$!
  wait_for_line "$WORK/$name.server.log" "READY" 60 "server ($name)"
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

run_client() { # NAME COMMAND...
  local name=$1
  shift
  CLIENT_LOG=$WORK/$name.client.log
  timeout 90 "$@" >"$CLIENT_LOG" 2>&1 || { cat "$CLIENT_LOG" >&2; die "client failed ($name)"; }
  grep '^RESULT ' "$CLIENT_LOG" || true
}

add_entry() { # CLIENT_LOG|- key=value...
  node "$GEN/ts/manifest.mjs" add "$ENTRIES" "$@"
}

# --- build the generators ------------------------------------------------------------------------------
echo "== npm ci (gen/ts)"
(cd "$GEN/ts" && npm ci --no-audit --no-fund --loglevel=error)
echo "== dotnet build (gen/csharp)"
dotnet build "$GEN/csharp/CorpusGen.csproj" -c Release -nologo -v quiet -o "$WORK/cs" >"$WORK/dotnet-build.log" 2>&1 \
  || { cat "$WORK/dotnet-build.log" >&2; die "dotnet build failed"; }
CS=(dotnet "$WORK/cs/corpus-gen.dll")
TS_SERVER=(node "$GEN/ts/mcp-server.mjs")
TS_CLIENT=(node "$GEN/ts/mcp-client.mjs")

# want NAME: true when every scenario runs, or NAME is listed in ONLY.
want() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }
[ -z "${ONLY:-}" ] && rm -rf "$OUT"
mkdir -p "$OUT"

# mcp_scenario NAME SERVER_SDK CLIENT_SDK TRANSPORT ADDRESS PORT PATH "SERVER ARGS" "CLIENT ARGS" [extra manifest pairs...]
# Captures one MCP session: server up, capture up, client runs, capture down, server down.
mcp_scenario() {
  local name=$1 server_sdk=$2 client_sdk=$3 transport=$4 address=$5 port=$6 path=$7 server_args=$8 client_args=$9
  shift 9
  want "$name" || return 0
  local url_host=$address format=pcap link=ethernet precision=micro client_address=127.0.0.1
  [[ $address == *:* ]] && { url_host="[$address]"; client_address=$address; }
  [ "${IFACE:-lo}" = any ] && link=linux-sll2
  [ "${PCAPNG:-}" = 1 ] && format=pcapng
  local tcpdump_opts=()
  [ -n "${NANO:-}" ] && { tcpdump_opts+=(--time-stamp-precision=nano); precision=nano; }
  echo "== $name"
  local server_cmd client_cmd
  if [ "$server_sdk" = csharp ]; then server_cmd=("${CS[@]}" server); else server_cmd=("${TS_SERVER[@]}"); fi
  if [ "$client_sdk" = csharp ]; then client_cmd=("${CS[@]}" client); else client_cmd=("${TS_CLIENT[@]}"); fi
  # shellcheck disable=SC2206
  start_server "$name" "${server_cmd[@]}" --host "$address" --port "$port" $server_args
  start_capture "$name" "tcp port $port" "${tcpdump_opts[@]}"
  # shellcheck disable=SC2206
  run_client "$name" "${client_cmd[@]}" --url "http://$url_host:$port$path" $client_args
  stop_capture "$name" "$format"
  stop_server
  add_entry "$CLIENT_LOG" file="$FILE" scenario="$name" sdk="$server_sdk" client_sdk="$client_sdk" is_mcp=true \
    transport="$transport" server_address="$address" port="$port" path="$path" client_address="$client_address" \
    link_type="$link" timestamp_precision="$precision" format="$format" "$@"
}

# --- C# SDK server and client ---------------------------------------------------------------------------
mcp_scenario cs-default-stateless csharp csharp stateless 127.0.0.1 18101 /mcp \
  "" "" \
  notes="SDK defaults on both sides: stateless server, client prefers 2026-07-28 (server/discover, Mcp-Method/Mcp-Name headers, no initialize, no session id), SSE-framed responses"

NANO=1 mcp_scenario cs-stateful-fallback-custom-path csharp csharp streamable-http 127.0.0.1 18102 /api/agent-tools \
  "--session stateful --path /api/agent-tools --name acme-agent-tools" "" \
  notes="stateful server refuses the 2026-07-28 server/discover probe (HTTP 400, JSON-RPC error -32022), the client falls back to initialize; Mcp-Session-Id, SSE responses, standalone GET stream, DELETE at the end; nanosecond timestamps"

mcp_scenario cs-stateful-2025-06-18 csharp csharp streamable-http 127.0.0.1 18103 /mcp \
  "--session hybrid" "--protocol 2025-06-18" \
  notes="client pinned to 2025-06-18 via McpClientOptions.ProtocolVersion: initialize handshake, session id, SSE responses"

mcp_scenario cs-legacy-sse csharp csharp sse-legacy 127.0.0.1 18104 /mcp/sse \
  "--session stateful --legacy-sse" "--transport sse --protocol 2024-11-05" \
  message_path=/mcp/message notes="HTTP+SSE (2024-11-05 transport) mapped by MapMcp(/mcp): GET /mcp/sse gets 'event: endpoint', POSTs go to /mcp/message?sessionId=..., answers arrive on the GET stream"

mcp_scenario cs-oauth-401 csharp csharp stateless 127.0.0.20 18105 /mcp \
  "--oauth" "--oauth" \
  auth=oauth-401 resource_metadata_path=/.well-known/oauth-protected-resource/mcp \
  notes="server gated by McpAuthenticationHandler: unauthenticated POST gets 401 with WWW-Authenticate Bearer resource_metadata=...; the client fetches the metadata, then runs a 2026-07-28 session with a bearer token"

mcp_scenario cs-ipv6-hybrid csharp csharp stateless ::1 18106 /mcp \
  "--session hybrid --host ::1" "" \
  notes="IPv6 loopback; hybrid server (StatefulForInitializeClients) serves the default 2026-07-28 client statelessly"

# --- TypeScript SDK server and client ------------------------------------------------------------------
mcp_scenario ts-stateful-sse typescript typescript streamable-http 127.0.0.1 18201 /mcp \
  "--mode stateful" "--transport streamable" \
  notes="StreamableHTTPServerTransport with sessionIdGenerator: initialize, Mcp-Session-Id, SSE responses, GET stream, DELETE"

PCAPNG=1 mcp_scenario ts-json-response typescript typescript streamable-http-json 127.0.0.1 18202 /v1/agent/rpc \
  "--mode json --path /v1/agent/rpc --name ts-json-tools" "--transport streamable" \
  notes="enableJsonResponse: true, application/json answers instead of SSE; converted to pcapng with editcap"

IFACE=any mcp_scenario ts-stateless-any typescript typescript stateless 127.0.0.1 18203 /mcp \
  "--mode stateless" "--transport streamable" \
  notes="sessionIdGenerator: undefined (no Mcp-Session-Id, GET answered 405); captured with -i any: Linux cooked v2 (SLL2) framing, each packet once"

mcp_scenario ts-legacy-sse typescript typescript sse-legacy 127.0.0.1 18204 /sse \
  "--mode sse" "--transport sse" \
  message_path=/messages notes="SSEServerTransport / SSEClientTransport (HTTP+SSE transport); the TS client always asks for its latest version"

mcp_scenario ts-ipv6-stateful typescript typescript streamable-http ::1 18205 /mcp \
  "--mode stateful --host ::1" "--transport streamable" \
  notes="IPv6 loopback, stateful Streamable HTTP"

# --- cross-SDK sessions ---------------------------------------------------------------------------------
mcp_scenario cs-client-ts-sse-2024-11-05 typescript csharp sse-legacy 127.0.0.1 18206 /events \
  "--mode sse --path /events --messages-path /rpc/messages" "--transport sse --protocol 2024-11-05" \
  message_path=/rpc/messages notes="C# client pinned to 2024-11-05 over HTTP+SSE against the TS SSEServerTransport on non-default paths"

mcp_scenario cs-client-ts-json-2025-03-26 typescript csharp streamable-http-json 127.0.0.1 18207 /mcp \
  "--mode json" "--protocol 2025-03-26" \
  notes="C# client pinned to 2025-03-26 against a TS JSON-response server"

mcp_scenario cs-client-ts-stateful-probe typescript csharp streamable-http 127.0.0.1 18208 /mcp \
  "--mode stateful" "" \
  notes="default C# client against a TS server: the server/discover probe (no session id, not initialize) gets HTTP 400 -32000 No valid session ID (written by the generator routing code, as in the SDK examples), the client falls back to initialize"

mcp_scenario ts-client-cs-server csharp typescript streamable-http 127.0.0.1 18209 /tools/mcp \
  "--session hybrid --path /tools/mcp" "--transport streamable" \
  notes="TS client against a hybrid C# server: initialize handshake, session id"

# --- look-alikes: JSON-RPC / SSE / REST that is not MCP ------------------------------------------------
lookalike() { # KIND PORT PATH NOTES
  local kind=$1 port=$2 path=$3 notes=$4 name="lookalike-$1"
  want "$name" || return 0
  echo "== $name"
  start_capture "$name" "tcp port $port"
  run_client "$name" node "$GEN/ts/lookalike.mjs" --kind "$kind" --port "$port"
  stop_capture "$name"
  add_entry - file="$FILE" scenario="$name" sdk=none client_sdk=none is_mcp=false transport=http lookalike="$kind" \
    server_address=127.0.0.1 port="$port" path="$path" client_address=127.0.0.1 link_type=ethernet \
    timestamp_precision=micro format=pcap notes="$notes"
}
lookalike lsp 18301 /lsp "LSP initialize over HTTP (processId, rootUri, capabilities, clientInfo), initialized, didOpen, hover"
lookalike acp 18302 /acp "agent-client-protocol style initialize (protocolVersion: 1, clientCapabilities), session/new, session/prompt"
lookalike ethereum 18303 / "Ethereum JSON-RPC: eth_blockNumber, eth_getBalance and a batch"
lookalike openai-sse 18304 /v1/chat/completions "OpenAI-style chat completion stream: data: {choices...} chunks then data: [DONE]"
lookalike jsonrpc-sse 18305 /stream/ticker "JSON-RPC notifications (ticker/update) over an SSE stream"
lookalike rest-mcp 18306 /mcp "REST collection at /mcp: GET list, POST form, POST plain JSON, GET /mcp/42"

# --- HTTP/2 and compressed bodies ------------------------------------------------------------------------
mcp_scenario cs-h2-prior-knowledge csharp csharp stateless 127.0.0.1 18111 /mcp \
  "--h2 --name h2-tools" "--h2" \
  http=h2 notes="Kestrel with HttpProtocols.Http2 on cleartext, HttpClient requests exactly HTTP/2.0: h2 with prior knowledge (connection preface, HPACK, streams); SSE-framed answers in DATA frames"

mcp_scenario cs-gzip-stateless csharp csharp stateless 127.0.0.1 18112 /mcp \
  "--compress gzip --name gzip-tools" "--decompress" \
  content_encoding=gzip notes="Kestrel response compression (gzip, text/event-stream included): every SSE answer is Content-Encoding: gzip, chunked"

mcp_scenario cs-br-stateless csharp csharp stateless 127.0.0.1 18113 /mcp \
  "--compress br --name br-tools" "--decompress" \
  content_encoding=br notes="Kestrel response compression (Brotli): every SSE answer is Content-Encoding: br, chunked"

# --- DNS ------------------------------------------------------------------------------------------------
if want dns-mcp-and-other-names; then
echo "== dns-mcp-and-other-names"
start_capture dns-mcp-and-other-names "port 53 and host 127.0.0.53"
run_client dns-mcp-and-other-names node "$GEN/ts/dns.mjs" --host 127.0.0.53 --port 53
stop_capture dns-mcp-and-other-names
add_entry - file="$FILE" scenario=dns-mcp-and-other-names sdk=none client_sdk=none is_mcp=true transport=dns \
  server_address=127.0.0.53 port=53 client_address=127.0.0.1 link_type=ethernet timestamp_precision=micro format=pcap \
  hosts='[{"name":"mcp.notion.com","is_mcp":true,"type":"A","answer":["127.0.0.31"]},{"name":"mcp.linear.app","is_mcp":true,"type":"A","answer":["127.0.0.32"]},{"name":"mcp.linear.app","is_mcp":true,"type":"AAAA","answer":["::1"]},{"name":"mcp.atlassian.com","is_mcp":true,"type":"A","answer":["edge.mcp-atlassian.example","127.0.0.34"]},{"name":"www.example.com","is_mcp":false,"type":"A","answer":["127.0.0.41"]},{"name":"api.github.com","is_mcp":false,"type":"A","answer":["127.0.0.42"]},{"name":"mcp.acme-internal.example","is_mcp":true,"type":"A","answer":["127.0.0.33"]},{"name":"mcp.acme-internal.example","is_mcp":true,"type":"TXT","note":"UDP answer truncated (TC), retried over TCP 53"},{"name":"nothing-here.example","is_mcp":false,"type":"A","rcode":"NXDOMAIN"}]' \
  notes="Node's resolver (c-ares) against a local responder on 127.0.0.53; mcp.acme-internal.example is an internal name matching only the weak mcp.* pattern; the file holds MCP and non-MCP names alike"
fi

# --- TLS ClientHellos -------------------------------------------------------------------------------------
if want tls-sni-mixed || want tls-split-clienthello; then
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj /CN=corpus.local \
  -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null
fi

if want tls-sni-mixed; then
echo "== tls-sni-mixed"
start_capture tls-sni-mixed "tcp port 443"
run_client tls-sni-mixed node "$GEN/ts/tls.mjs" --key "$WORK/tls.key" --cert "$WORK/tls.crt" \
  --targets '127.0.0.32|443|mcp.linear.app|h2,http/1.1;127.0.0.31|443|mcp.notion.com|http/1.1;127.0.0.41|443|www.example.com|h2,http/1.1;127.0.0.42|443|api.github.com'
# One hello from OpenSSL's own client too (different extension layout from Node's).
openssl s_server -accept 127.0.0.1:443 -cert "$WORK/tls.crt" -key "$WORK/tls.key" -alpn h2,http/1.1 -quiet \
  >"$WORK/s_server.log" 2>&1 &
SERVER_PID=$!
# Wait for the listening socket without connecting to it, so the capture holds no stray connection.
for _ in $(seq 50); do ss -Hltn 'sport = :443' | grep -q '127.0.0.1:443' && break || sleep 0.1; done
echo | timeout 10 openssl s_client -connect 127.0.0.1:443 -servername mcp.sentry.dev -alpn h2,http/1.1 >"$WORK/s_client.log" 2>&1 || true
grep -q 'Cipher is' "$WORK/s_client.log" || { cat "$WORK/s_client.log" >&2; die "openssl s_client handshake failed"; }
stop_server
stop_capture tls-sni-mixed
add_entry - file="$FILE" scenario=tls-sni-mixed sdk=none client_sdk=none is_mcp=true transport=tls port=443 \
  client_address=127.0.0.1 link_type=ethernet timestamp_precision=micro format=pcap \
  hosts='[{"name":"mcp.linear.app","is_mcp":true,"address":"127.0.0.32","alpn":["h2","http/1.1"]},{"name":"mcp.notion.com","is_mcp":true,"address":"127.0.0.31","alpn":["http/1.1"]},{"name":"www.example.com","is_mcp":false,"address":"127.0.0.41","alpn":["h2","http/1.1"]},{"name":"api.github.com","is_mcp":false,"address":"127.0.0.42","alpn":[]},{"name":"mcp.sentry.dev","is_mcp":true,"address":"127.0.0.1","alpn":["h2","http/1.1"],"client":"openssl s_client"}]' \
  notes="full TLS 1.3 handshakes; the last connection's ClientHello comes from openssl s_client"
fi

if want tls-split-clienthello; then
echo "== tls-split-clienthello"
start_capture tls-split-clienthello "tcp port 18444"
run_client tls-split-clienthello node "$GEN/ts/tls.mjs" --key "$WORK/tls.key" --cert "$WORK/tls.crt" \
  --split 400 --alpn-padding 60 --targets '127.0.0.1|18444|mcp.stripe.com|h2,http/1.1'
stop_capture tls-split-clienthello
add_entry - file="$FILE" scenario=tls-split-clienthello sdk=none client_sdk=none is_mcp=true transport=tls port=18444 \
  client_address=127.0.0.1 link_type=ethernet timestamp_precision=micro format=pcap \
  hosts='[{"name":"mcp.stripe.com","is_mcp":true,"address":"127.0.0.1","alpn_first":["h2","http/1.1"]}]' \
  notes="a ~2 KB ClientHello (60 extra ALPN names) written in 400-byte pieces with Nagle off: it spans 5 TCP segments"
fi

if [ -n "${ONLY:-}" ]; then
  node "$GEN/ts/manifest.mjs" merge "$ENTRIES" "$HERE/manifest.json"
else
  node "$GEN/ts/manifest.mjs" write "$ENTRIES" "$HERE/manifest.json"
fi

# --- verify: every file holds what its scenario says -------------------------------------------------
echo "== verify"
# verify FILE FILTER MIN: at least MIN frames match, and every TCP connection that opened also closed
# (FIN or RST), so the capture neither started late nor stopped early.
verify() {
  local n opened closed
  n=$(tshark -r "$OUT/$1" ${4:+-d "$4"} -Y "$2" 2>/dev/null | wc -l)
  [ "$n" -ge "$3" ] || die "$1: expected at least $3 frames matching '$2', found $n"
  opened=$(tshark -r "$OUT/$1" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' -T fields -e tcp.stream 2>/dev/null | sort -u | wc -l)
  closed=$(tshark -r "$OUT/$1" -Y 'tcp.flags.fin == 1 || tcp.flags.reset == 1' -T fields -e tcp.stream 2>/dev/null | sort -u | wc -l)
  [ "$opened" -eq "$closed" ] || die "$1: $opened TCP connections opened but $closed closed"
  printf '  %-40s %-30s %4d  tcp=%-2d %6d bytes\n' "$1" "$2" "$n" "$opened" "$(stat -c %s "$OUT/$1")"
}
while IFS=$'\t' read -r file transport is_mcp http port; do
  want "${file%.*}" || continue
  if [ "$http" = h2 ]; then verify "$file" 'http2.type == 1' 5 "tcp.port==$port,http2"; continue; fi
  case $transport/$is_mcp in
    dns/*) verify "$file" dns 18 ;;
    tls/*) verify "$file" 'tls.handshake.type == 1' 1 ;;
    sse-legacy/*) verify "$file" 'http.request.method == "POST"' 4 ;;
    */true) verify "$file" 'http.request || http2.type == 1' 5 ;;
    *) verify "$file" 'http.request' 1 ;;
  esac
done < <(node -e 'for (const f of require(process.argv[1]).files) console.log([f.file, f.transport, f.is_mcp, f.http ?? "-", f.port ?? "-"].join("\t"))' "$HERE/manifest.json")
rm -rf "$WORK"
echo "done: $(ls "$OUT" | wc -l) files in $OUT"
