-- What the API benchmark's wrk scripts share (loaded with dofile from the repository root, where scripts/bench_api
-- runs wrk). Environment: BENCH_DIR (holds merchants: "merchant_id api_key" per line, and the scripts' files) and
-- BENCH_RUN (a prefix that keeps shopper references and idempotency keys unique across runs).
local common = {
    dir = os.getenv("BENCH_DIR"),
    run = os.getenv("BENCH_RUN") or tostring(os.time()),
    -- wrk's threads, for done() to add up their counters.
    threads = {},
}
local next_tid = 0

-- wrk's setup(): numbers each thread ("tid" in its state) and keeps it.
function common.setup(thread)
    thread:set("tid", next_tid)
    next_tid = next_tid + 1
    table.insert(common.threads, thread)
end

-- The benchmark's merchants: their API keys in file order, and the key of each merchant id.
function common.merchants()
    local keys, by_id = {}, {}
    for line in io.lines(common.dir .. "/merchants") do
        local id, key = line:match("^(%S+)%s+(%S+)$")
        if id then
            table.insert(keys, key)
            by_id[id] = key
        end
    end
    return keys, by_id
end

-- The sum over wrk's threads of each named counter.
function common.totals(names)
    local totals = {}
    for _, name in ipairs(names) do totals[name] = 0 end
    for _, thread in ipairs(common.threads) do
        for _, name in ipairs(names) do totals[name] = totals[name] + thread:get(name) end
    end
    return totals
end

return common
