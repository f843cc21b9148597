-- Sends POSTs that Python prepared, round robin, and counts the answers by HTTP status.
--
-- Arguments (after wrk's --): the file of prepared requests, their Content-Type, and for our
-- comment form a file of signed stamps and wrk's thread count. Each line of the requests file
-- is "<Cookie header or empty><TAB><request body>"; a new reader's comment has no cookie and
-- no token. Where a body holds STAMPMARK, each request puts a stamp of its own there (every
-- thread takes its own share of the file), so every POST is a new comment rather than a
-- resend of an earlier one.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  prepared = {}
  for line in io.lines(args[1]) do
    local cookie, body = line:match("^([^\t]*)\t(.*)$")
    table.insert(prepared, { cookie = cookie, body = body })
  end
  content_type = args[2]
  stamps = {}
  if args[3] then
    for line in io.lines(args[3]) do
      table.insert(stamps, line)
    end
  end
  local thread_count = tonumber(args[4] or "1")
  share = math.floor(#stamps / thread_count)
  first_stamp = ((thread_number or 1) - 1) * share
  used = 0
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
  local body = chosen.body
  if share > 0 then
    used = used % share + 1
    -- Stamps are URL-safe base64 and dots: nothing gsub would read as a pattern.
    body = body:gsub("STAMPMARK", stamps[first_stamp + used])
  end
  return wrk.format("POST", nil, headers, body)
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
