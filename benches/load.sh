#!/usr/bin/env bash
# Runs the load benchmark (benches/load.rs) with a throwaway PostgreSQL 15 of
# its own, started with PostgreSQL's default durability (fsync on,
# synchronous_commit on, full_page_writes on), unlike the test server, which
# runs with fsync=off. Needs root (the server runs as the `postgres` user),
# as .ci/run does. Usage: benches/load.sh [seconds per load, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
export ENKAT_BENCH_SECONDS="${1:-10}"

for tool in initdb pg_ctl; do
  command -v "$tool" >/dev/null || PATH="$PATH:$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
done
id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
# On the same disk as the SQLite files (target/tmp), not in a tmpfs.
mkdir -p target/tmp
scratch=$(mktemp -d "$PWD/target/tmp/enkat-bench-pg.XXXXXX")
chmod 755 "$scratch"
install -d -o postgres "$scratch/pg"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres() { runuser -u postgres -- "$@"; }
as_postgres initdb --pgdata "$scratch/pg/data" --auth trust --username enkat --encoding UTF8 >/dev/null
as_postgres pg_ctl --pgdata "$scratch/pg/data" --log "$scratch/pg/server.log" --wait \
  --options "-p $port -k $scratch/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
stop_postgres() {
  as_postgres pg_ctl --pgdata "$scratch/pg/data" --mode fast stop >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap stop_postgres EXIT
export ENKAT_BENCH_POSTGRES_URL="postgres://enkat@127.0.0.1:$port/postgres"
psql_settings=$(as_postgres /usr/lib/postgresql/*/bin/postgres --version 2>/dev/null || true)
echo "PostgreSQL for the benchmark: $ENKAT_BENCH_POSTGRES_URL ($psql_settings, default fsync and synchronous_commit)"

cargo bench --bench load
