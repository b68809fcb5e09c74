-- wrk script: authorizes the checkouts scripts/bench_api created, each exactly once: POST
-- /v1/checkouts/{id}/authorize with the owning merchant's key, a unique Idempotency-Key, a distinct device,
-- address and payment instrument (so velocity rules do not decline) and the model features of a mostly good
-- shopper (so most are approved: decision, hold and order). Thread N reads $BENCH_DIR/authorize.N
-- ("merchant_id checkout_id" per line) and stops when it has sent them all. Counts the decisions in the response
-- bodies. Environment: see common.lua.
local common = dofile("tools/wrk/common.lua")
local run = common.run
setup = common.setup

function init(args)
    work = common.work("authorize", tid)
    position = 0
    approved, declined, referred, other = 0, 0, 0, 0
end

function request()
    position = position + 1
    local item = common.item(work, position)
    local ref = run .. "-" .. tid .. "-" .. position
    local body = '{"product_id":"pay-in-4","device_id":"d-' .. ref .. '","shipping_address":"a-' .. ref .. '",'
        .. '"payment_instrument":"p-' .. ref .. '","age_years":35,"identity_verified":true,'
        .. '"features":{"account_age_days":' .. (400 + position % 900) .. ',"orders_last_year":' .. (position % 40) .. ','
        .. '"return_rate":0.01,"late_repayments":0,"bureau_delinquencies":0}}'
    return wrk.format("POST", "/v1/checkouts/" .. item[2] .. "/authorize", {
        ["Authorization"] = "Bearer " .. item[1],
        ["Content-Type"] = "application/json",
        ["Idempotency-Key"] = "a-" .. ref,
    }, body)
end

function response(status, headers, body)
    if status == 200 then
        local decision = body:match('"decision"%s*:%s*"(%a+)"')
        if decision == "approved" then approved = approved + 1
        elseif decision == "declined" then declined = declined + 1
        elseif decision == "referred" then referred = referred + 1
        else other = other + 1 end
    else
        other = other + 1
        if other <= 3 then io.stderr:write("authorize: HTTP ", status, ": ", body, "\n") end
    end
end

function done(summary, latency, requests)
    local totals = common.totals({"approved", "declined", "referred", "other"})
    io.write(string.format("decisions: approved %d, declined %d, referred %d, other (non-200 or unparsed) %d\n",
        totals.approved, totals.declined, totals.referred, totals.other))
    common.latency(latency)
end
