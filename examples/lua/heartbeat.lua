-- The heartbeat example (examples/models/heartbeat.json) from Lua: a device is Offline when no
-- heartbeat arrived for 5 minutes, and Online again with its next beat.
--
--   make lua
--   LD_LIBRARY_PATH=build/standard LUA_CPATH='build/lua/5.4/?.so' lua5.4 examples/lua/heartbeat.lua
--
-- The manual clock makes time move only through engine:tick, so the run is exact and instant.

local iotevents = require "iotevents"

local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
local function load_model(name)
  local f = assert(io.open(here .. "/../models/" .. name, "rb"))
  local text = f:read("*a")
  f:close()
  return iotevents.decode(text)
end

local start = 1700000000000 -- epoch ms
local engine = iotevents.open { clock = "manual", start_time_millis = start }

-- Actions arrive as tables, on this thread, after the call that caused them returns.
engine:on_action(function(action)
  print(("action %s from %s/%s (state %s, event %s): %s"):format(action.type,
    action.source.detectorModelName, action.source.keyValue, action.source.stateName,
    action.source.eventName, action.payload))
end)

engine:create_input(load_model("heartbeat-input.json"))
local created = engine:create_detector_model(load_model("heartbeat.json"))
print("detector model " .. created.detectorModelConfiguration.detectorModelName .. " version "
  .. created.detectorModelConfiguration.detectorModelVersion)

local sequence = 0
local function heartbeat(device, battery)
  sequence = sequence + 1
  local response = engine:batch_put_message { messages = {
    { messageId = "beat-" .. sequence, inputName = "Heartbeat", payload = { deviceId = device, battery = battery } },
  } }
  for _, entry in ipairs(response.BatchPutMessageErrorEntries) do
    print("rejected " .. entry.messageId .. ": " .. entry.errorMessage)
  end
end

local function show(device)
  local d = engine:describe_detector { detectorModelName = "deviceHeartbeat", keyValue = device }.detector
  local vars = {}
  for _, v in ipairs(d.state.variables) do vars[#vars + 1] = v.name .. "=" .. v.value end
  print(("%s: state %s, %s"):format(device, d.state.stateName, table.concat(vars, " ")))
end

heartbeat("dev-1", 97)
heartbeat("dev-2", 88)
show("dev-1")

engine:tick(start + 100000) -- 100 s later dev-1 beats again; dev-2 stays silent
heartbeat("dev-1", 96.5)

local deadline = engine:next_deadline()
print(("next deadline in %d s"):format((deadline - start) / 1000))
print(("tick to %d s: %d timer(s) fired"):format((deadline - start) / 1000, engine:tick(deadline)))
show("dev-2")

engine:tick(start + 400000) -- dev-1's watchdog too
show("dev-1")
heartbeat("dev-1", 90) -- back online
show("dev-1")

for _, s in ipairs(engine:list_detectors { detectorModelName = "deviceHeartbeat" }.detectorSummaries) do
  print(("detector %s: %s"):format(s.keyValue, s.state.stateName))
end
engine:close()
