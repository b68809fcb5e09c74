-- wrk script: creates checkouts for the API benchmark (scripts/bench_api), round-robin over the benchmark's
-- merchants, one distinct shopper per checkout, and appends "merchant_id checkout_id" of each created checkout to
-- $BENCH_DIR/checkouts.<thread>. Environment: see common.lua; with SHOPPERS=N the checkouts cycle over N shoppers
-- instead ("s-<BENCH_SHOPPER_RUN>-k<0..N-1>", the same in every phase of one benchmark run), for returning shoppers.
-- With SCATTERED_SHOPPERS=1 each shopper reference gets a prefix derived from it (8 hex digits of a multiplicative
-- hash), so that shoppers do not arrive in the order their ids sort in, as a marketplace's would not.
local common = dofile("tools/wrk/common.lua")
local run = common.run
setup = common.setup

function init(args)
    merchants = common.merchants()
    shoppers = tonumber(os.getenv("SHOPPERS") or "")
    shopper_run = os.getenv("BENCH_SHOPPER_RUN") or run
    scattered = os.getenv("SCATTERED_SHOPPERS") == "1"
    out = io.open(common.dir .. "/checkouts." .. tid, "w")
    counter = 0
    created = 0
    failed = 0
end

function request()
    counter = counter + 1
    local key = merchants[(counter + tid) % #merchants + 1]
    local ref = run .. "-" .. tid .. "-" .. counter
    local number = shoppers and (((counter - 1) * 2 + tid) % shoppers) or ((counter - 1) * 2 + tid)
    local shopper = shoppers and (shopper_run .. "-k" .. number) or ref
    if scattered then shopper = string.format("%08x", (number * 2654435761) % 2147483647) .. "-" .. shopper end
    local body = '{"merchant_reference":"o-' .. ref .. '","shopper_reference":"s-' .. shopper .. '",'
        .. '"total":{"amount":10000,"currency":"CNY"},'
        .. '"lines":[{"name":"bench item","quantity":1,"unit_price":{"amount":10000,"currency":"CNY"}}]}'
    return wrk.format("POST", "/v1/checkouts", {
        ["Authorization"] = "Bearer " .. key,
        ["Content-Type"] = "application/json",
        ["Idempotency-Key"] = "c-" .. ref,
    }, body)
end

function response(status, headers, body)
    if status == 201 then
        local id = body:match('"id"%s*:%s*"([^"]+)"')
        local merchant = body:match('"merchant_id"%s*:%s*"([^"]+)"')
        out:write(merchant, " ", id, "\n")
        created = created + 1
    else
        failed = failed + 1
        if failed <= 3 then io.stderr:write("checkout: HTTP ", status, ": ", body, "\n") end
    end
end

function done(summary, latency, requests)
    local totals = common.totals({"created", "failed"})
    io.write(string.format("checkouts created: %d, failed: %d\n", totals.created, totals.failed))
end
