#!/usr/bin/env bash
# A throwaway PostgreSQL for the fleet benchmark: initdb in a temp folder, a free port on 127.0.0.1, fsync on
# (as production). Prints the postgres:// URL for --db; stop it with `pg_ctl -D DIR/data stop` (printed too).
# Needs Debian's postgresql package; run as root (the server itself runs as the postgres user) or as that user.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/shadowmcp-bench-pg-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password=$(openssl rand -hex 16)
as_pg=(); [ "$(id -u)" = 0 ] && { chown postgres "$dir"; as_pg=(runuser -u postgres --); }
printf %s "$password" > "$dir/pw"; chmod 600 "$dir/pw"; [ "$(id -u)" = 0 ] && chown postgres "$dir/pw"
"${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U postgres --pwfile "$dir/pw" \
  --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C >/dev/null
rm "$dir/pw"
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
echo "postgres://postgres:$password@127.0.0.1:$port/postgres"
echo "stop: ${as_pg[*]} $bin/pg_ctl -D $dir/data stop && rm -rf $dir" >&2
