-- wrk script: captures or refunds each order of a list exactly once (scripts/bench_api_pg): with
-- ORDER_ACTION=captures, POST /v1/orders/{id}/captures of the whole authorization; with ORDER_ACTION=refunds,
-- POST /v1/orders/{id}/refunds of 10.00 CNY; with the owning merchant's key, a unique Idempotency-Key and a
-- capture_id or refund_id of its own. Thread N reads $BENCH_DIR/<ORDER_ACTION>.N ("merchant_id order_id" per line)
-- and stops when it has sent them all. Counts the 2xx answers and the others. Environment: see common.lua.
local common = dofile("tools/wrk/common.lua")
local run = common.run
setup = common.setup
local action = os.getenv("ORDER_ACTION") or "captures"
assert(action == "captures" or action == "refunds", "ORDER_ACTION must be captures or refunds")

function init(args)
    work = common.work(action, tid)
    position = 0
    done_ok, failed = 0, 0
end

function request()
    position = position + 1
    local item = common.item(work, position)
    local ref = run .. "-" .. tid .. "-" .. position
    local body
    if action == "captures" then
        body = '{"capture_id":"k-' .. ref .. '"}'
    else
        body = '{"refund_id":"r-' .. ref .. '","amount":{"amount":1000,"currency":"CNY"}}'
    end
    return wrk.format("POST", "/v1/orders/" .. item[2] .. "/" .. action, {
        ["Authorization"] = "Bearer " .. item[1],
        ["Content-Type"] = "application/json",
        ["Idempotency-Key"] = action .. "-" .. ref,  -- checkout.lua's are "c-<ref>", authorize.lua's "a-<ref>"
    }, body)
end

function response(status, headers, body)
    if status >= 200 and status < 300 then
        done_ok = done_ok + 1
    else
        failed = failed + 1
        if failed <= 3 then io.stderr:write(action, ": HTTP ", status, ": ", body, "\n") end
    end
end

function done(summary, latency, requests)
    local totals = common.totals({"done_ok", "failed"})
    io.write(string.format("%s: succeeded %d, failed %d\n", action, totals.done_ok, totals.failed))
    common.latency(latency)
end
