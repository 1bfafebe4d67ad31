-- Cycles over /items/1.json .. /items/N.json (N from the BENCH_N environment variable).
local n = tonumber(os.getenv("BENCH_N") or "1000")
local i = 0
request = function()
  i = i % n + 1
  return wrk.format("GET", "/items/" .. i .. ".json")
end
