# shellcheck shell=bash
# What the API benchmarks (scripts/bench_api on SQLite, scripts/bench_api_pg on PostgreSQL) share: their merchants,
# starting `paylater serve`, and handing the created checkouts to tools/wrk/authorize.lua. Source this file from the
# repository root (the wrk scripts and `paylater serve` read files relative to it).

# api_bench_merchants PAYLATER COUNT STORE-OPTION...: sets a large funding capacity and creates COUNT merchants
# (the API rate-limits each merchant to 200 requests/s, so the load is spread over many); prints
# "merchant_id api_key" per merchant, the file tools/wrk/common.lua reads as $BENCH_DIR/merchants.
api_bench_merchants() {
    local paylater=$1 count=$2 i
    shift 2
    "$paylater" capacity set --amount 100000000000.00 --currency CNY "$@" >/dev/null
    for i in $(seq "$count"); do
        "$paylater" merchant create --name "bench-$i" "$@" \
            | awk '/^merchant/ {id=$2} /^api key/ {key=$3} END {print id, key}'
    done
}

# api_bench_serve DIR COMMAND...: runs COMMAND (`paylater serve --port 0 ...`, behind e.g. env or valgrind) in the
# background, its stdout in DIR/serve.out and its access log in DIR/access.log; sets server_pid, and url once it
# listens (exits when it does not within a minute).
# shellcheck disable=SC2034  # server_pid and url are the caller's
api_bench_serve() {
    local dir=$1
    shift
    "$@" >"$dir/serve.out" 2>>"$dir/access.log" &
    server_pid=$!
    for _ in $(seq 600); do grep -q '^listening on' "$dir/serve.out" && break; sleep 0.1; done
    url=$(sed -n 's/^listening on //p' "$dir/serve.out")
    [[ -n "$url" ]] || { echo "the server did not start:" >&2; cat "$dir/serve.out" "$dir/access.log" >&2; exit 1; }
}

# api_bench_split_checkouts DIR: gathers the checkouts tools/wrk/checkout.lua wrote (DIR/checkouts.*) into DIR/all
# and deals them to DIR/authorize.0 and .1, one file per wrk thread (wrk -t2); prints how many there are.
api_bench_split_checkouts() {
    local dir=$1
    cat "$dir"/checkouts.* | awk 'NF == 2' > "$dir/all"
    awk -v dir="$dir" '{print > (dir "/authorize." ((NR - 1) % 2))}' "$dir/all"
    wc -l < "$dir/all"
}
