-- Mixed public load for bench/stack_bench.py: project pages, the public API, search, the log.
-- wrk -s bench/wrk/mixed.lua -- <project code>
local paths = {}
function init(args)
  local code = args[1]
  paths = {
    "/p/" .. code .. "/", "/p/" .. code .. "/", "/p/" .. code .. "/",
    "/api/v1/projects/" .. code .. "/", "/api/v1/projects/",
    "/?q=%E6%B5%8B%E8%AF%95",
    "/",
  }
end
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
