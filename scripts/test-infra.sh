#!/usr/bin/env bash
# The servers the scaling tests run against (docs/scaling.md), beside the PostgreSQL server of
# 127.0.0.1:5432: a PgBouncer in transaction pooling mode (Debian's `pgbouncer`) and a
# hot-standby replica of that server made with pg_basebackup. Idempotent: what already runs is
# kept; called by .ci/run and `npm test` (scripts/test.mjs). Needs root (it installs a package,
# trusts replication from 127.0.0.1 on the primary and runs both servers as the postgres user).
#
#   PgBouncer: 127.0.0.1:${PGBOUNCER_PORT:-6432}, every database of the primary, trust auth
#   replica:   127.0.0.1:${REPLICA_PORT:-5433}, data in ${INFRA_DIR:-/tmp/repairscore-infra}/replica
set -euo pipefail

PRIMARY_PORT=5432
PGBOUNCER_PORT="${PGBOUNCER_PORT:-6432}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
INFRA_DIR="${INFRA_DIR:-/tmp/repairscore-infra}"
REPLICA_DIR="$INFRA_DIR/replica"
BOUNCER_DIR="$INFRA_DIR/pgbouncer"

fail() {
	echo "✗ scripts/test-infra.sh: $*" >&2
	exit 1
}

if [ "$(id -u)" != 0 ]; then
	fail "needs root to install PgBouncer and start the replica. Run:  sudo bash scripts/test-infra.sh"
fi
pg_isready -h 127.0.0.1 -p "$PRIMARY_PORT" -q || fail "no PostgreSQL server on 127.0.0.1:$PRIMARY_PORT"

if ! command -v pgbouncer >/dev/null; then
	echo "Installing Debian's pgbouncer…"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null
fi
# Debian's package starts its own service on 6432 where systemd runs; this one is ours.
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
as_postgres() { runuser -u postgres -- "$@"; }

mkdir -p "$INFRA_DIR"
chown postgres: "$INFRA_DIR"

# ── the primary must let 127.0.0.1 stream its WAL (pg_basebackup -X stream, the standby)
psql_primary() { psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -tAc "$1"; }
HBA="$(psql_primary 'show hba_file')"
if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+(all|postgres)[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$HBA"; then
	echo "Trusting replication from 127.0.0.1 in $HBA and reloading the primary."
	printf '\n# RepairScore tests (scripts/test-infra.sh): the hot-standby replica streams from here.\nhost replication all 127.0.0.1/32 trust\n' >>"$HBA"
	psql_primary 'select pg_reload_conf()' >/dev/null
fi
[ "$(psql_primary 'show wal_level')" != minimal ] || fail "the primary has wal_level=minimal; set wal_level=replica and restart it"

# ── the hot-standby replica
replica_ready() { pg_isready -h 127.0.0.1 -p "$REPLICA_PORT" -q; }
start_replica() {
	as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -l "$INFRA_DIR/replica.log" -w -t 60 start >/dev/null
}
make_replica() {
	rm -rf "$REPLICA_DIR"
	echo "Copying the primary into $REPLICA_DIR (pg_basebackup)…"
	as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
		-D "$REPLICA_DIR" -R -X stream -c fast
	# Debian keeps the primary's configuration in /etc, outside the copied data directory.
	as_postgres tee "$REPLICA_DIR/postgresql.conf" >/dev/null <<-CONF
		port = $REPLICA_PORT
		listen_addresses = '127.0.0.1'
		unix_socket_directories = '$INFRA_DIR'
		hot_standby = on
		max_connections = 100
		shared_buffers = 32MB
		jit = off
	CONF
	as_postgres tee "$REPLICA_DIR/pg_hba.conf" >/dev/null <<-HBA
		local all all trust
		host all all 127.0.0.1/32 trust
	HBA
	as_postgres touch "$REPLICA_DIR/pg_ident.conf"
	rm -f "$REPLICA_DIR/postmaster.pid"
	start_replica
}
if ! replica_ready; then
	if [ -f "$REPLICA_DIR/standby.signal" ] && start_replica 2>/dev/null && replica_ready; then
		echo "Replica restarted on 127.0.0.1:$REPLICA_PORT."
	else
		# A copy too far behind to catch up (its WAL recycled on the primary) is made again.
		[ -f "$REPLICA_DIR/postmaster.pid" ] && as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast stop >/dev/null 2>&1 || true
		make_replica
	fi
fi
for _ in $(seq 1 30); do replica_ready && break; sleep 1; done
replica_ready || fail "the replica did not start; see $INFRA_DIR/replica.log"
streaming() {
	[ "$(psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -tAc \
		"select count(*) from pg_stat_wal_receiver where status = 'streaming'")" = 1 ]
}
wait_streaming() { for _ in $(seq 1 15); do streaming && return 0; sleep 1; done; return 1; }
# Up but not streaming: a copy that stopped long ago and whose WAL the primary recycled.
if ! wait_streaming; then
	echo "The replica does not stream from the primary; making it again."
	as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast stop >/dev/null
	make_replica
	wait_streaming || fail "the replica does not stream from the primary; see $INFRA_DIR/replica.log"
fi
[ "$(psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -tAc 'select pg_is_in_recovery()')" = t ] ||
	fail "127.0.0.1:$REPLICA_PORT answers but is not a standby"

# ── PgBouncer, transaction pooling
bouncer_ready() { pg_isready -h 127.0.0.1 -p "$PGBOUNCER_PORT" -q; }
if ! bouncer_ready; then
	mkdir -p "$BOUNCER_DIR"
	cat >"$BOUNCER_DIR/pgbouncer.ini" <<-INI
		[databases]
		* = host=127.0.0.1 port=$PRIMARY_PORT
		[pgbouncer]
		listen_addr = 127.0.0.1
		listen_port = $PGBOUNCER_PORT
		unix_socket_dir =
		auth_type = trust
		auth_file = $BOUNCER_DIR/userlist.txt
		admin_users = postgres
		pool_mode = transaction
		max_client_conn = 500
		default_pool_size = 20
		pidfile = $BOUNCER_DIR/pgbouncer.pid
		logfile = $BOUNCER_DIR/pgbouncer.log
	INI
	echo '"postgres" ""' >"$BOUNCER_DIR/userlist.txt"
	chown -R postgres: "$BOUNCER_DIR"
	as_postgres pgbouncer -d "$BOUNCER_DIR/pgbouncer.ini"
	for _ in $(seq 1 20); do bouncer_ready && break; sleep 0.5; done
	bouncer_ready || fail "PgBouncer did not start; see $BOUNCER_DIR/pgbouncer.log"
fi

echo "Test infrastructure ready: PgBouncer (transaction pooling) on 127.0.0.1:$PGBOUNCER_PORT, hot-standby replica on 127.0.0.1:$REPLICA_PORT."
