-- Sends POSTs that Python prepared, round robin, and counts the answers by HTTP status.
--
-- Arguments (after wrk's --): the file of prepared requests, then the Content-Type.
-- Each line of the file is "<Cookie header or empty><TAB><request body>": a reader's own
-- session cookie travels with the CSRF token made for that session, so every form is valid.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  prepared = {}
  for line in io.lines(args[1]) do
    local cookie, body = line:match("^([^\t]*)\t(.*)$")
    table.insert(prepared, { cookie = cookie, body = body })
  end
  content_type = args[2]
  next_index = 0
  counts = {}
end

function request()
  next_index = next_index % #prepared + 1
  local chosen = prepared[next_index]
  local headers = { ["Content-Type"] = content_type }
  if chosen.cookie ~= "" then
    headers["Cookie"] = chosen.cookie
  end
  return wrk.format("POST", nil, headers, chosen.body)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("counts")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  for status, count in pairs(totals) do
    io.write(string.format("status %d %d\n", status, count))
  end
end
