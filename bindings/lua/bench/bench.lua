-- The Lua side of make bench-lua: CALLS BatchPutMessage calls of 10 messages each on the
-- heartbeat model over 1,000 device keys, the request built as Lua tables per call (as a host
-- would), through engine:batch_put_message. Prints "CALLS SECONDS" (process CPU time, os.clock).
--
--   lua bench.lua MODELS_DIR CALLS

local iotevents = require "iotevents"
local dir, calls = arg[1], tonumber(arg[2])

local function load_model(name)
  local f = assert(io.open(dir .. "/" .. name, "rb"))
  local text = f:read("*a")
  f:close()
  return iotevents.decode(text)
end

local engine = iotevents.open { clock = "manual", start_time_millis = 1700000000000 }
engine:create_input(load_model("heartbeat-input.json"))
engine:create_detector_model(load_model("heartbeat.json"))

local start = os.clock()
for i = 0, calls - 1 do
  local messages = {}
  for j = 0, 9 do
    local id = i * 10 + j
    messages[j + 1] = { messageId = "m" .. id, inputName = "Heartbeat",
                        payload = { deviceId = "dev-" .. (id % 1000), battery = id % 100 } }
  end
  local response = engine:batch_put_message { messages = messages }
  if #response.BatchPutMessageErrorEntries > 0 then
    error(response.BatchPutMessageErrorEntries[1].errorMessage)
  end
end
local seconds = os.clock() - start
engine:close()
print(("%d %.6f"):format(calls, seconds))
