# A throwaway PostgreSQL on loopback, for benchmarks and tests: initdb into a temporary directory as an
# unprivileged user, start on a free port, stop and remove at the end. Source this file, then:
#   pg_local_start            # sets PG_LOCAL_DIR, PG_LOCAL_PORT, PG_LOCAL_URL, PG_LOCAL_BIN
#   pg_local_run pgbench ...  # runs a PostgreSQL client as the cluster's owner
#   pg_local_stop
# Fails loudly when PostgreSQL cannot start: nothing is skipped silently.

pg_local_bin() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo "postgres: no PostgreSQL server found; install it with apt-get install postgresql" >&2
        return 1
    fi
    echo "$bin"
}

pg_local_owner() {
    if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi
}

pg_local_run() {
    local owner
    owner=$(pg_local_owner)
    if [ "$owner" = "$(id -un)" ]; then
        "$@"
    else
        runuser -u "$owner" -- "$@"
    fi
}

# PG_LOCAL_SETTINGS adds server settings ("-c name=value ..."), e.g. production-like memory for benchmarks.
pg_local_start() {
    PG_LOCAL_BIN=$(pg_local_bin) || return 1
    PG_LOCAL_DIR=$(mktemp -d /tmp/paylater-pg.XXXXXX)
    chown "$(pg_local_owner)" "$PG_LOCAL_DIR"
    PG_LOCAL_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    pg_local_run "$PG_LOCAL_BIN/initdb" -D "$PG_LOCAL_DIR/data" -A trust -U postgres -E UTF8 >"$PG_LOCAL_DIR/initdb.log" 2>&1 || {
        cat "$PG_LOCAL_DIR/initdb.log" >&2; return 1; }
    pg_local_run "$PG_LOCAL_BIN/pg_ctl" -D "$PG_LOCAL_DIR/data" -w -l "$PG_LOCAL_DIR/server.log" \
        -o "-p $PG_LOCAL_PORT -k $PG_LOCAL_DIR -c listen_addresses=127.0.0.1 ${PG_LOCAL_SETTINGS:-}" start >/dev/null || {
        cat "$PG_LOCAL_DIR/server.log" >&2; return 1; }
    PG_LOCAL_URL="postgres://postgres@127.0.0.1:$PG_LOCAL_PORT/postgres"
    export PG_LOCAL_BIN PG_LOCAL_DIR PG_LOCAL_PORT PG_LOCAL_URL
}

pg_local_stop() {
    [ -n "${PG_LOCAL_DIR:-}" ] || return 0
    pg_local_run "$PG_LOCAL_BIN/pg_ctl" -D "$PG_LOCAL_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_LOCAL_DIR"
    unset PG_LOCAL_DIR
}
