-- bench/cases.lua: wrk asks the admin API for each grid's new cases in
-- turn, as liaison-station staff do: GET /api/cases?status=received&grid=X
-- (the bearer token comes with wrk -H).

local grids = { "liuxindian", "yangji", "dazhao", "wanglou", "puchengcun", "yancunpu" }
local n = 0

function request()
	n = n + 1
	return wrk.format("GET", "/api/cases?status=received&grid=" .. grids[n % #grids + 1])
end
