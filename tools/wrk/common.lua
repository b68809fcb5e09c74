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

-- This thread's work: the file $BENCH_DIR/<name>.<tid> ("merchant_id item_id" per line) as {api key, item id} pairs.
function common.work(name, tid)
    local _, keys = common.merchants()
    local work = {}
    for line in io.lines(common.dir .. "/" .. name .. "." .. tid) do
        local merchant, item = line:match("^(%S+)%s+(%S+)$")
        if item then table.insert(work, {keys[merchant], item}) end
    end
    return work
end

-- The work's item at position, or, past the end, the last one after stopping the thread (wrk then sends nothing more).
function common.item(work, position)
    local item = work[position]
    if item == nil then
        wrk.thread:stop()
        item = work[#work] or {"", "none"}  -- never sent: the thread stops before writing it
    end
    return item
end

-- The latency line every script prints after its counts.
function common.latency(latency)
    io.write(string.format("latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency:percentile(99.9) / 1000, latency.max / 1000))
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
