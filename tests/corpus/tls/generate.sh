#!/usr/bin/env bash
# Regenerates tests/corpus/tls/{pcaps,keys}/* and manifest.json: MCP sessions between the official C# and
# TypeScript SDKs over TLS 1.2 and 1.3 (HTTP/1.1 and h2), and non-MCP HTTPS look-alikes, each with the key log
# its own process wrote (Node --tls-keylog, .NET SSLKEYLOGFILE with System.Net.EnableSslKeyLogging).
# Run as root (tcpdump on lo). Needs tcpdump, tshark, openssl, dotnet (SDK 10), node 20 + npm.
# Every server binds and every client dials 127.0.0.1 only.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GEN=$HERE/../gen
WORK=$(mktemp -d /tmp/shadowmcp-tls-corpus.XXXXXX)
ENTRIES=$WORK/entries.jsonl
: >"$ENTRIES"

die() { echo "tls/generate.sh: $* (work files kept in $WORK)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (tcpdump on lo)"
for tool in tcpdump tshark openssl dotnet node npm; do command -v $tool >/dev/null || die "missing $tool"; done

SERVER_PID=""
TCPDUMP_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -n "$TCPDUMP_PID" ] && kill -INT "$TCPDUMP_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

wait_for_line() { # FILE PATTERN SECONDS WHAT
  for ((i = 0; i < $3 * 10; i++)); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  cat "$1" >&2 || true
  die "timed out waiting for $4"
}

start_capture() { # NAME PORT
  tcpdump -i lo --immediate-mode -U -s 0 -w "$WORK/$1.pcap" "tcp port $2" 2>"$WORK/$1.tcpdump.log" &
  TCPDUMP_PID=$!
  wait_for_line "$WORK/$1.tcpdump.log" "listening on" 10 "tcpdump ($1)"
}

stop_capture() { # NAME
  sleep 1
  kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" || true; TCPDUMP_PID=""
  cp "$WORK/$1.pcap" "$HERE/pcaps/$1.pcap"
}

start_server() { # NAME COMMAND...
  local name=$1; shift
  "$@" >"$WORK/$name.server.log" 2>&1 &
  SERVER_PID=$!
  wait_for_line "$WORK/$name.server.log" "READY" 60 "server ($name)"
}

stop_server() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }

run_client() { # NAME COMMAND...
  local name=$1; shift
  CLIENT_LOG=$WORK/$name.client.log
  timeout 90 "$@" >"$CLIENT_LOG" 2>&1 || { cat "$CLIENT_LOG" >&2; die "client failed ($name)"; }
}

# Keys: the side named in the manifest wrote them; only that key log is kept.
keep_keys() { # NAME FILE
  [ -s "$2" ] || die "$1: no key log written to $2"
  cp "$2" "$HERE/keys/$1.keys"
}

echo "== build generators"
(cd "$GEN/ts" && npm ci --no-audit --no-fund --loglevel=error)
dotnet build "$GEN/csharp/CorpusGen.csproj" -c Release -nologo -v quiet -o "$WORK/cs" >"$WORK/dotnet-build.log" 2>&1 \
  || { cat "$WORK/dotnet-build.log" >&2; die "dotnet build failed"; }

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null
openssl pkcs12 -export -keypbe NONE -certpbe NONE -passout pass: -inkey "$WORK/tls.key" -in "$WORK/tls.crt" \
  -out "$WORK/tls.pfx"

rm -rf "$HERE/pcaps" "$HERE/keys"
mkdir -p "$HERE/pcaps" "$HERE/keys"
export NODE_TLS_REJECT_UNAUTHORIZED=0 # the corpus' own self-signed loopback certificate
NODE_TLS=(--tls-key "$WORK/tls.key" --tls-cert "$WORK/tls.crt")

# scenario NAME PORT SERVER_SDK CLIENT_SDK TRANSPORT TLS HTTP KEYS_FROM "SERVER ARGS" "CLIENT ARGS" [pairs...]
scenario() {
  local name=$1 port=$2 server_sdk=$3 client_sdk=$4 transport=$5 tls=$6 http=$7 keys_from=$8 sargs=$9 cargs=${10}
  shift 10
  echo "== $name"
  local server_keys=$WORK/$name.server.keys client_keys=$WORK/$name.client.keys server client
  if [ "$server_sdk" = csharp ]; then
    server=(env SSLKEYLOGFILE="$server_keys" dotnet "$WORK/cs/corpus-gen.dll" server --tls-cert "$WORK/tls.pfx")
  else
    server=(node --tls-keylog="$server_keys" "$GEN/ts/mcp-server.mjs" "${NODE_TLS[@]}")
  fi
  if [ "$client_sdk" = csharp ]; then
    client=(env SSLKEYLOGFILE="$client_keys" dotnet "$WORK/cs/corpus-gen.dll" client --insecure-tls)
  else
    client=(node --tls-keylog="$client_keys" "$GEN/ts/mcp-client.mjs")
  fi
  # shellcheck disable=SC2206
  start_server "$name" "${server[@]}" --host 127.0.0.1 --port "$port" $sargs
  start_capture "$name" "$port"
  local path
  path=$(sed -n 's/^READY https:\/\/[^/]*//p' "$WORK/$name.server.log" | head -1)
  # shellcheck disable=SC2206
  run_client "$name" "${client[@]}" --url "https://127.0.0.1:$port$path" $cargs
  stop_capture "$name"
  stop_server
  if [ "$keys_from" = server ]; then keep_keys "$name" "$server_keys"; else keep_keys "$name" "$client_keys"; fi
  node "$GEN/ts/manifest.mjs" add "$ENTRIES" "$CLIENT_LOG" file="$name.pcap" keylog="$name.keys" keys_from="$keys_from" \
    scenario="$name" sdk="$server_sdk" client_sdk="$client_sdk" is_mcp=true transport="$transport" tls="$tls" \
    http="$http" port="$port" path="$path" "$@"
}

scenario ts-tls13-stateful 18501 typescript typescript streamable-http 1.3 http/1.1 client \
  "--mode stateful" "--transport streamable" notes="Node default TLS 1.3 suite (AES-256-GCM), SSE responses, GET stream"
scenario ts-tls12-chacha-json 18502 typescript typescript streamable-http-json 1.2 http/1.1 server \
  "--mode json --tls-max TLSv1.2 --ciphers ECDHE-ECDSA-CHACHA20-POLY1305" "--transport streamable" \
  notes="TLS 1.2 ECDHE-ECDSA-CHACHA20-POLY1305, JSON answers; several connections, later ones resume the session"
scenario ts-tls13-chacha-legacy-sse 18503 typescript typescript sse-legacy 1.3 http/1.1 client \
  "--mode sse --ciphers TLS_CHACHA20_POLY1305_SHA256" "--transport sse" \
  notes="TLS 1.3 CHACHA20-POLY1305, HTTP+SSE transport"
scenario ts-tls12-gcm-stateless 18504 typescript typescript stateless 1.2 http/1.1 client \
  "--mode stateless --tls-max TLSv1.2" "--transport streamable" notes="TLS 1.2 ECDHE-ECDSA-AES128-GCM-SHA256"
scenario cs-tls13-h2 18505 csharp csharp stateless 1.3 h2 client \
  "" "--http2" notes="Kestrel and HttpClient over h2 (ALPN), .NET key log"
scenario cs-tls12-h1 18506 csharp csharp streamable-http 1.2 http/1.1 server \
  "--session stateful --tls-max 1.2" "--protocol 2025-06-18" notes="TLS 1.2 only on Kestrel, HTTP/1.1, server key log"
scenario ts-client-cs-server-tls13 18507 csharp typescript streamable-http 1.3 http/1.1 client \
  "--session hybrid" "--transport streamable" notes="TS client against a C# server, TLS 1.3 AES-128-GCM"
scenario ts-client-cs-server-h2 18508 csharp typescript streamable-http 1.3 h2 client \
  "--session hybrid" "--transport streamable --http2" \
  notes="Official TS SDK client over h2 (node:http2 fetch, ALPN h2) against Kestrel, TLS 1.3, Node key log"

# --- HTTPS look-alikes: server and client in one Node process, which writes the key log ----------------
lookalike() { # KIND PORT TLS PATH NOTES [CIPHERS]
  local kind=$1 port=$2 tls=$3 path=$4 notes=$5 ciphers=${6:-} name="tls-lookalike-$1" max=TLSv1.3
  local extra=()
  [ -n "$ciphers" ] && extra=(--ciphers "$ciphers")
  [ "$tls" = 1.2 ] && max=TLSv1.2
  echo "== $name"
  start_capture "$name" "$port"
  run_client "$name" node --tls-keylog="$WORK/$name.keys" "$GEN/ts/lookalike.mjs" --kind "$kind" --port "$port" \
    "${NODE_TLS[@]}" --tls-max "$max" "${extra[@]}"
  stop_capture "$name"
  keep_keys "$name" "$WORK/$name.keys"
  node "$GEN/ts/manifest.mjs" add "$ENTRIES" - file="$name.pcap" keylog="$name.keys" keys_from=both scenario="$name" \
    sdk=none client_sdk=none is_mcp=false transport=https lookalike="$kind" tls="$tls" http=http/1.1 port="$port" \
    path="$path" notes="$notes"
}
lookalike openai-sse 18601 1.3 /v1/chat/completions "chat-completion SSE stream (data: {choices...} then [DONE])"
lookalike jsonrpc-sse 18602 1.3 /stream/ticker "JSON-RPC notifications over SSE"
lookalike rest-mcp 18603 1.2 /mcp "REST collection named /mcp"
lookalike graphql 18604 1.3 /graphql "GraphQL queries and an error answer, TLS_AES_128_GCM_SHA256" \
  TLS_AES_128_GCM_SHA256

# --- TLS 1.3 KeyUpdate: openssl s_client sends one ('k') and asks the server for one ('K') between two requests ---
echo "== tls-openssl-keyupdate"
(sleep 8 | openssl s_server -accept 127.0.0.1:18620 -cert "$WORK/tls.crt" -key "$WORK/tls.key" -tls1_3 \
  -keylogfile "$WORK/keyupdate.keys" -naccept 1 >"$WORK/keyupdate.server.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 50); do ss -Hltn 'sport = :18620' | grep -q 18620 && break || sleep 0.1; done
start_capture tls-openssl-keyupdate 18620
(printf 'GET /status HTTP/1.1\nHost: localhost\n\n'; sleep 0.3; echo k; sleep 0.3; echo K; sleep 0.3
  printf 'GET /after-update HTTP/1.1\nHost: localhost\n\n'; sleep 0.5) \
  | timeout 10 openssl s_client -connect 127.0.0.1:18620 -tls1_3 -crlf >"$WORK/keyupdate.client.log" 2>&1 || true
stop_capture tls-openssl-keyupdate
wait "$SERVER_PID" || true
SERVER_PID=""
keep_keys tls-openssl-keyupdate "$WORK/keyupdate.keys"
node "$GEN/ts/manifest.mjs" add "$ENTRIES" - file=tls-openssl-keyupdate.pcap keylog=tls-openssl-keyupdate.keys \
  keys_from=server scenario=tls-openssl-keyupdate sdk=none client_sdk=none is_mcp=false transport=https \
  lookalike=keyupdate tls=1.3 http=http/1.1 port=18620 path=/status \
  notes="openssl s_client/s_server: two plain GETs with a KeyUpdate each way between them (no responses)"

node "$GEN/ts/manifest.mjs" write "$ENTRIES" "$HERE/manifest.json"
sed -i 's#"generator": "tests/corpus/generate.sh"#"generator": "tests/corpus/tls/generate.sh"#' "$HERE/manifest.json"

echo "== verify with tshark (the decrypted HTTP must be there)"
for f in "$HERE"/pcaps/*.pcap; do
  name=$(basename "$f" .pcap)
  n=$(tshark -r "$f" -o "tls.keylog_file:$HERE/keys/$name.keys" -Y 'http.request or http2.type == 1' 2>/dev/null | wc -l)
  [ "$n" -ge 1 ] || die "$name: tshark decrypts no HTTP request"
  printf '  %-36s %4d requests  %7d bytes\n' "$name" "$n" "$(stat -c %s "$f")"
done
rm -rf "$WORK"
