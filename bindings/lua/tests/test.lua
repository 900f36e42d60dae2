-- The Lua binding's tests: plain Lua, the same script under 5.1, 5.2, 5.3, 5.4 and LuaJIT.
--
--   LD_LIBRARY_PATH=build/standard LUA_CPATH='build/lua/5.4/?.so' lua5.4 bindings/lua/tests/test.lua
--
-- Environment: LUA_TEST_ROOT (the repository, for examples/models), LUA_TEST_NAME (the summary
-- line's label), LUA_TEST_LIBDIR (the directory the loaded libiotevents must come from).
-- Prints one line per failure and a summary "lua-test NAME: N passed, M failed"; exits 1 on failure.

local iotevents = require "iotevents"
local safe = require "iotevents.safe"

local ROOT = os.getenv("LUA_TEST_ROOT") or "."
local NAME = os.getenv("LUA_TEST_NAME") or (jit and jit.version or _VERSION)
local LIBDIR = os.getenv("LUA_TEST_LIBDIR")
local INTEGERS = math.type ~= nil -- 5.3+: numbers have an integer subtype
local T0 = 1700000000000

local passed, failed = 0, 0

local function test(name, fn)
  local ok, err = xpcall(fn, function(e) return debug.traceback(tostring(e), 2) end)
  if ok then
    passed = passed + 1
  else
    failed = failed + 1
    io.stderr:write(("FAIL %s: %s\n"):format(name, err))
  end
end

local function repr(v)
  if type(v) == "string" then return ("%q"):format(v) end
  if type(v) == "table" then
    local ok, s = pcall(iotevents.encode, v)
    return ok and s or tostring(v)
  end
  return tostring(v)
end

local function deep_equal(a, b)
  if type(a) ~= type(b) then return false end
  if type(a) ~= "table" then return a == b end
  for k, v in pairs(a) do if not deep_equal(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end

local function eq(actual, expected, what)
  if not deep_equal(actual, expected) then
    error(("%s: expected %s, got %s"):format(what or "value", repr(expected), repr(actual)), 2)
  end
end

local function check(cond, what)
  if not cond then error(what or "check failed", 2) end
end

local function contains(s, part, what)
  if type(s) ~= "string" or not s:find(part, 1, true) then
    error(("%s: %s does not contain %s"):format(what or "text", repr(s), repr(part)), 2)
  end
end

-- Runs fn(...), which must raise an iotevents error table with this code; returns the error.
local function raises(code, fn, ...)
  local ok, err = pcall(fn, ...)
  if ok then error("expected " .. code .. ", the call succeeded", 2) end
  if type(err) ~= "table" then error("expected an error table " .. code .. ", got " .. repr(err), 2) end
  if err.code ~= code then error("expected " .. code .. ", got " .. tostring(err), 2) end
  check(type(err.message) == "string" and #err.message > 0, "the error has a message")
  return err
end

local function read_file(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

local function model(name)
  return iotevents.decode(read_file(ROOT .. "/examples/models/" .. name))
end

local function is_integer(v)
  if INTEGERS then return math.type(v) == "integer" end
  return type(v) == "number" and v == math.floor(v)
end

-- A manual-clock engine with the heartbeat input and detector model.
local function heartbeat_engine(mod)
  local engine = (mod or iotevents).open { clock = "manual", start_time_millis = T0 }
  engine:create_input(model("heartbeat-input.json"))
  engine:create_detector_model(model("heartbeat.json"))
  return engine
end

local function beat(id, battery, message_id)
  return { messageId = message_id, inputName = "Heartbeat", payload = { deviceId = id, battery = battery } }
end

-- Every operation must be called at least once through its snake_case method: the engine's
-- methods are wrapped to record which ones ran.
local called = {}
do
  local probe = iotevents.open { clock = "manual" }
  local methods = getmetatable(probe) -- protected: __metatable is a string
  check(methods == "iotevents.engine", "the engine metatable is protected")
  probe:close()
end
local function tracked(engine)
  return setmetatable({}, {
    __index = function(_, name)
      local method = engine[name]
      if type(method) ~= "function" then return method end
      return function(self, ...)
        called[name] = true
        return method(self == _ and engine or self, ...)
      end
    end,
  })
end

-- -------------------------------------------------------------------------------------------
-- The module
-- -------------------------------------------------------------------------------------------

test("module fields", function()
  check(type(iotevents.version) == "string" and iotevents.version:match("^%d+%.%d+%.%d+$"), "version string")
  eq(iotevents.version_number, 1000, "version_number of 0.1.0")
  eq(type(iotevents.null), "userdata", "null is a light userdata")
  eq(iotevents.safe, false, "iotevents.safe flag")
  eq(safe.safe, true, "iotevents.safe's flag")
  eq(safe.null, iotevents.null, "one null for both modules")
  eq(safe.array_mt, iotevents.array_mt, "one array metatable for both modules")
  eq(#iotevents.operations, 39, "operations of both services and the engine's BatchPutAssetPropertyValue")
  local probe = iotevents.open { clock = "manual" }
  local services = {}
  for _, op in ipairs(iotevents.operations) do
    check(type(probe[op.method]) == "function", "a method for " .. op.name)
    services[op.service] = (services[op.service] or 0) + 1
  end
  eq(services, { ["iotevents"] = 26, ["iotevents-data"] = 12, ["iotsitewise"] = 1 }, "operations per service")
  probe:close()
end)

test("the library of the profile under test is the one loaded", function()
  if not LIBDIR then return end
  local maps = io.open("/proc/self/maps")
  if not maps then return end
  local text = maps:read("*a")
  maps:close()
  contains(text, LIBDIR .. "/libiotevents.so", "/proc/self/maps")
end)

-- -------------------------------------------------------------------------------------------
-- open and the configuration
-- -------------------------------------------------------------------------------------------

test("open: snake_case and camelCase keys, limits", function()
  local a = iotevents.open { clock = "manual", start_time_millis = T0, account_id = "111122223333", region = "eu-west-1" }
  local r = a:create_input { inputName = "A", inputDefinition = { attributes = { { jsonPath = "x" } } } }
  eq(r.inputConfiguration.inputArn, "arn:aws:iotevents:eu-west-1:111122223333:input/A", "ARN from the config")
  eq(r.inputConfiguration.creationTime, 1700000000, "creation time from start_time_millis")
  a:close()
  local b = iotevents.open { clock = "manual", startTimeMillis = 5000, limits = { max_inputs = 1 } }
  b:create_input { inputName = "A", inputDefinition = { attributes = { { jsonPath = "x" } } } }
  -- CreateInput's service model has no LimitExceededException: the library answers InvalidRequest
  local err = raises("InvalidRequestException", b.create_input, b,
    { inputName = "B", inputDefinition = { attributes = { { jsonPath = "x" } } } })
  contains(err.message, "maxInputs", "the limit is named")
  b:close()
  local c = iotevents.open { clock = "manual", limits = { maxMessagesPerBatch = 1 } }
  c:close()
  local d = iotevents.open() -- every default: the system clock
  check(tostring(d):find("open", 1, true), "tostring of an open engine")
  d:close()
end)

test("open: configuration errors", function()
  local err = raises("InvalidRequestException", iotevents.open, { clock = "sundial" })
  contains(err.message, "clock", "names the key")
  eq(err.operation, "open", "operation of an open error")
  eq(err.status, 1, "status number")
  err = raises("InvalidRequestException", iotevents.open, { colour = "blue" })
  contains(err.message, "colour", "an unknown key is named")
  err = raises("InvalidRequestException", iotevents.open, { start_time_millis = 1, startTimeMillis = 2 })
  contains(err.message, "given twice", "a key given both ways")
  err = raises("InvalidRequestException", iotevents.open, { clock = "manual", timer_thread = true })
  contains(err.message, "timerThread", "camelCased key in the library's message")
  err = raises("InvalidRequestException", iotevents.open, { limits = { max_widgets = 5 } })
  contains(err.message, "maxWidgets", "limits keys are camelCased too")
  err = raises("InvalidRequestException", iotevents.open, { [1] = "manual" })
  contains(err.message, "not a string", "non-string config key")
  err = raises("InvalidRequestException", iotevents.open, { clock = "manual", region = function() end })
  contains(err.message, "function value at region", "unencodable config value")
  err = raises("InvalidRequestException", iotevents.open, { state_directory = 42 })
  contains(err.message, "stateDirectory", "state_directory becomes stateDirectory")
  check(not pcall(iotevents.open, "manual"), "a non-table config is an argument error")
  local engine, e2 = safe.open { clock = "sundial" }
  eq(engine, nil, "safe open fails with nil")
  eq(e2.code, "InvalidRequestException", "safe open's error")
end)

-- -------------------------------------------------------------------------------------------
-- Every operation, through the snake_case methods
-- -------------------------------------------------------------------------------------------

test("control plane: inputs, detector models, routings, tags, logging", function()
  local raw = iotevents.open { clock = "manual", start_time_millis = T0 }
  local engine = tracked(raw)
  local r = engine:create_input(model("heartbeat-input.json"))
  eq(r.inputConfiguration.inputName, "Heartbeat", "create_input")
  eq(r.inputConfiguration.status, "ACTIVE", "create_input status")
  r = engine:describe_input { inputName = "Heartbeat" }
  eq(#r.input.inputDefinition.attributes, 2, "describe_input attributes")
  eq(getmetatable(r.input.inputDefinition.attributes), iotevents.array_mt, "decoded arrays are marked")
  r = engine:update_input { inputName = "Heartbeat", inputDescription = "updated",
    inputDefinition = { attributes = { { jsonPath = "deviceId" }, { jsonPath = "battery" } } } }
  eq(r.inputConfiguration.inputDescription, "updated", "update_input")
  r = engine:list_inputs()
  eq(#r.inputSummaries, 1, "list_inputs without a request table")
  eq(r.nextToken, nil, "no nextToken on the last page")

  r = engine:create_detector_model(model("heartbeat.json"))
  eq(r.detectorModelConfiguration.detectorModelVersion, "1", "create_detector_model")
  eq(r.detectorModelConfiguration.key, "deviceId", "create_detector_model key")
  r = engine:describe_detector_model { detectorModelName = "deviceHeartbeat" }
  eq(r.detectorModel.detectorModelDefinition.initialStateName, "Online", "describe_detector_model")
  local m = model("heartbeat.json")
  m.key = nil
  m.detectorModelDescription = "second version"
  r = engine:update_detector_model(m)
  eq(r.detectorModelConfiguration.detectorModelVersion, "2", "update_detector_model")
  r = engine:list_detector_models {}
  eq(r.detectorModelSummaries[1].detectorModelName, "deviceHeartbeat", "list_detector_models")
  r = engine:list_detector_model_versions { detectorModelName = "deviceHeartbeat", maxResults = 1 }
  eq(#r.detectorModelVersionSummaries, 1, "list_detector_model_versions page")
  eq(type(r.nextToken), "string", "a nextToken when more follow")
  r = engine:list_detector_model_versions { detectorModelName = "deviceHeartbeat", nextToken = r.nextToken }
  eq(r.detectorModelVersionSummaries[1].detectorModelVersion, "1", "second page")
  r = engine:list_input_routings { inputIdentifier = { iotEventsInputIdentifier = { inputName = "Heartbeat" } } }
  eq(r.routedResources[1].name, "deviceHeartbeat", "list_input_routings")

  local arn = "arn:aws:iotevents:us-east-1:123456789012:input/Heartbeat"
  eq(engine:tag_resource { resourceArn = arn, tags = { { key = "site", value = "north" } } }, {}, "tag_resource")
  r = engine:list_tags_for_resource { resourceArn = arn }
  eq(r.tags, { { key = "site", value = "north" } }, "list_tags_for_resource")
  eq(engine:untag_resource { resourceArn = arn, tagKeys = { "site" } }, {}, "untag_resource")
  r = engine:list_tags_for_resource { resourceArn = arn }
  eq(#r.tags, 0, "no tags left")
  eq(getmetatable(r.tags), iotevents.array_mt, "an empty array decodes as a marked table")
  eq(iotevents.encode(r), '{"tags":[]}', "and encodes back as []")

  raises("ResourceNotFoundException", engine.describe_logging_options, engine)
  local options = { roleArn = "arn:aws:iam::123456789012:role/log", level = "INFO", enabled = true }
  eq(engine:put_logging_options { loggingOptions = options }, {}, "put_logging_options")
  eq(engine:describe_logging_options().loggingOptions, options, "describe_logging_options")

  -- Detector model analysis (include/iotevents.h): Start, Describe (RUNNING, then COMPLETE),
  -- the results paged; an unknown id is ResourceNotFoundException.
  local definition = model("heartbeat.json").detectorModelDefinition
  local analysis = engine:start_detector_model_analysis { detectorModelDefinition = definition }.analysisId
  eq(engine:describe_detector_model_analysis { analysisId = analysis }.status, "RUNNING", "first describe")
  eq(engine:describe_detector_model_analysis { analysisId = analysis }.status, "COMPLETE", "later describe")
  local page = engine:get_detector_model_analysis_results { analysisId = analysis, maxResults = 1 }
  eq(#page.analysisResults, 1, "one result per page")
  eq(type(page.analysisResults[1].type), "string", "a result has a type")
  eq(type(page.analysisResults[1].locations[1].path), "string", "and a location path")
  for _, r in ipairs(engine:get_detector_model_analysis_results { analysisId = analysis }.analysisResults) do
    if r.level == "ERROR" then error("the heartbeat example has an ERROR result: " .. r.message) end
  end
  raises("ResourceNotFoundException", engine.describe_detector_model_analysis, engine, { analysisId = "a" })
  raises("ResourceNotFoundException", engine.get_detector_model_analysis_results, engine, { analysisId = "a" })

  local err = raises("ResourceInUseException", engine.delete_input, engine, { inputName = "Heartbeat" })
  contains(err.message, "deviceHeartbeat", "in use by the model")
  eq(engine:delete_detector_model { detectorModelName = "deviceHeartbeat" }, {}, "delete_detector_model")
  eq(engine:delete_input { inputName = "Heartbeat" }, {}, "delete_input")
  eq(#engine:list_inputs().inputSummaries, 0, "no inputs left")
  raw:close()
end)

test("data plane: detectors", function()
  local raw = heartbeat_engine()
  local engine = tracked(raw)
  local r = engine:batch_put_message { messages = { beat("d1", 97, "m1"), beat("d2", 50, "m2") } }
  eq(r, { BatchPutMessageErrorEntries = {} }, "batch_put_message")
  r = engine:describe_detector { detectorModelName = "deviceHeartbeat", keyValue = "d1" }
  eq(r.detector.state.stateName, "Online", "describe_detector state")
  local vars = {}
  for _, v in ipairs(r.detector.state.variables) do vars[v.name] = v.value end
  eq(vars, { beats = "1", battery = "97" }, "detector variables")
  eq(r.detector.state.timers[1].timestamp, 1700000300, "timer timestamp in epoch seconds")
  r = engine:list_detectors { detectorModelName = "deviceHeartbeat" }
  eq(#r.detectorSummaries, 2, "list_detectors")
  r = engine:batch_update_detector { detectors = { {
    messageId = "u1", detectorModelName = "deviceHeartbeat", keyValue = "d1",
    state = { stateName = "Offline", variables = { { name = "beats", value = "5" } }, timers = iotevents.array() },
  } } }
  eq(r, { batchUpdateDetectorErrorEntries = {} }, "batch_update_detector")
  r = engine:describe_detector { detectorModelName = "deviceHeartbeat", keyValue = "d1" }
  eq(r.detector.state.stateName, "Offline", "the update applied")
  r = engine:batch_delete_detector { detectors = {
    { messageId = "x1", detectorModelName = "deviceHeartbeat", keyValue = "d2" },
    { messageId = "x2", detectorModelName = "deviceHeartbeat", keyValue = "nope" },
  } }
  eq(#r.batchDeleteDetectorErrorEntries, 1, "batch_delete_detector: one error entry")
  eq(r.batchDeleteDetectorErrorEntries[1].errorCode, "ResourceNotFoundException", "the missing detector")
  eq(#engine:list_detectors({ detectorModelName = "deviceHeartbeat" }).detectorSummaries, 1, "one detector left")
  raw:close()
end)

test("data plane: alarms", function()
  local raw = iotevents.open { clock = "manual", start_time_millis = T0 }
  local engine = tracked(raw)
  local seen = {}
  engine:on_action(function(a) seen[#seen + 1] = a.type .. ":" .. a.source.stateName end)
  engine:create_input(model("boiler-input.json"))
  local r = engine:create_alarm_model(model("boiler-alarm.json"))
  eq(r.alarmModelVersion, "1", "create_alarm_model")
  r = engine:describe_alarm_model { alarmModelName = "boilerOverpressure" }
  eq(r.alarmRule.simpleRule.comparisonOperator, "GREATER", "describe_alarm_model")
  r = engine:list_alarm_models()
  eq(r.alarmModelSummaries[1].alarmModelName, "boilerOverpressure", "list_alarm_models")
  engine:batch_put_message { messages = { { messageId = "p1", inputName = "BoilerPressure",
    payload = { boilerId = "b1", bar = 9.5 } } } }
  eq(seen, { "iotTopicPublish:ACTIVE", "alarmNotification:ACTIVE" }, "the alarm's actions")
  r = engine:describe_alarm { alarmModelName = "boilerOverpressure", keyValue = "b1" }
  eq(r.alarm.alarmState.stateName, "ACTIVE", "describe_alarm")
  r = engine:list_alarms { alarmModelName = "boilerOverpressure" }
  eq(r.alarmSummaries[1].stateName, "ACTIVE", "list_alarms")
  local function req(id) return { requestId = id, alarmModelName = "boilerOverpressure", keyValue = "b1" } end
  eq(engine:batch_acknowledge_alarm { acknowledgeActionRequests = { req("a1") } }, {}, "batch_acknowledge_alarm")
  local snooze = req("s1")
  snooze.snoozeDuration = 600
  eq(engine:batch_snooze_alarm { snoozeActionRequests = { snooze } }, {}, "batch_snooze_alarm")
  eq(engine:describe_alarm({ alarmModelName = "boilerOverpressure", keyValue = "b1" }).alarm.alarmState.stateName,
    "SNOOZE_DISABLED", "snoozed")
  eq(engine:batch_disable_alarm { disableActionRequests = { req("d1") } }, {}, "batch_disable_alarm")
  eq(engine:batch_enable_alarm { enableActionRequests = { req("e1") } }, {}, "batch_enable_alarm")
  eq(engine:batch_reset_alarm { resetActionRequests = { req("r1") } }, {}, "batch_reset_alarm")
  local missing = req("r2")
  missing.keyValue = "zz"
  r = engine:batch_reset_alarm { resetActionRequests = { missing } }
  eq(r.errorEntries[1].errorCode, "ResourceNotFoundException", "an error entry for an unknown alarm")
  local m = model("boiler-alarm.json")
  m.key = nil
  m.alarmModelDescription = "v2"
  eq(engine:update_alarm_model(m).alarmModelVersion, "2", "update_alarm_model")
  r = engine:list_alarm_model_versions { alarmModelName = "boilerOverpressure" }
  eq(#r.alarmModelVersionSummaries, 2, "list_alarm_model_versions")
  eq(engine:delete_alarm_model { alarmModelName = "boilerOverpressure" }, {}, "delete_alarm_model")
  raw:close()
end)

test("data plane: SiteWise-sourced alarm models", function()
  local raw = iotevents.open { clock = "manual", start_time_millis = T0 }
  local engine = tracked(raw)
  local seen = {}
  engine:on_action(function(a) seen[#seen + 1] = a.type .. ":" .. a.source.stateName .. ":" .. (a.action.assetId or "") end)
  local ref = "$sitewise.assetModel.`5f0c2a1e-0000-4000-8000-00000000aa01`.`%s`.%s"
  local temperature, threshold = "5f0c2a1e-0000-4000-8000-0000000000a1", "5f0c2a1e-0000-4000-8000-0000000000a2"
  local boiler = "b01e0000-0000-4000-8000-000000000001"
  engine:create_alarm_model {
    alarmModelName = "BoilerTempAlarm", roleArn = "arn:aws:iam::123456789012:role/r",
    alarmRule = { simpleRule = { inputProperty = ref:format(temperature, "propertyValue.value"),
      comparisonOperator = "GREATER", threshold = ref:format(threshold, "propertyValue.value") } },
    alarmEventActions = { alarmActions = { { iotSiteWise = { assetId = ref:format(temperature, "assetId"),
      propertyId = "'5f0c2a1e-0000-4000-8000-0000000000a3'" } } } },
    alarmCapabilities = { initializationConfiguration = { disabledOnInitialization = false } } }
  local function entry(id, property, value, t)
    return { entryId = id, assetId = boiler, propertyId = property,
      propertyValues = { { value = value, timestamp = { timeInSeconds = t } } } }
  end
  local r = engine:batch_put_asset_property_value { entries = {
    entry("t", threshold, { integerValue = 80 }, 1700000000),
    entry("v", temperature, { doubleValue = 85.5 }, 1700000001),
    { entryId = "alias", propertyAlias = "/boiler/1/temperature",
      propertyValues = { { value = { doubleValue = 1.5 }, timestamp = { timeInSeconds = 1700000002 } } } } } }
  eq(#r.errorEntries, 1, "one error entry")
  eq(r.errorEntries[1].entryId, "alias", "the alias-only entry fails")
  eq(r.errorEntries[1].errors[1].errorCode, "InvalidRequestException", "its code")
  eq(seen, { "iotSiteWise:ACTIVE:" .. boiler }, "the state written to the alarm's asset")
  r = engine:describe_alarm { alarmModelName = "BoilerTempAlarm", keyValue = boiler }
  eq(r.alarm.alarmState.stateName, "ACTIVE", "describe_alarm by asset id")
  raises("InvalidRequestException", engine.batch_put_asset_property_value, engine,
    { entries = { entry("x", temperature, {}, 1700000003) } })
  raw:close()
end)

-- -------------------------------------------------------------------------------------------
-- call, call_raw, errors
-- -------------------------------------------------------------------------------------------

test("call and call_raw", function()
  local engine = iotevents.open { clock = "manual", start_time_millis = T0 }
  local r = engine:call("CreateInput", { inputName = "A", inputDefinition = { attributes = { { jsonPath = "x" } } } })
  eq(r.inputConfiguration.inputName, "A", "call by AWS name")
  r = engine:call("describe_input", { inputName = "A" })
  eq(r.input.inputConfiguration.inputName, "A", "call by method name")
  eq(#engine:call("ListInputs").inputSummaries, 1, "call without a request")
  local text = engine:call_raw("ListInputs", "{}")
  eq(type(text), "string", "call_raw answers text")
  contains(text, '"inputSummaries":[{', "the response JSON")
  eq(iotevents.decode(text).inputSummaries[1].inputName, "A", "which decodes")
  text = engine:call_raw("BatchPutMessage", '{"messages":[{"messageId":"1","inputName":"A","payload":"eyJ4IjoxfQ=="}]}')
  eq(text, '{"BatchPutMessageErrorEntries":[]}', "a base64 payload through call_raw")
  local err = raises("InvalidRequestException", engine.call_raw, engine, "ListInputs", "{")
  contains(err.message, "not valid JSON", "malformed JSON")
  err = raises("UnsupportedOperationException", engine.call, engine, "Frobnicate", {})
  eq(err.operation, "Frobnicate", "the unknown operation is named")
  raises("UnsupportedOperationException", engine.call_raw, engine, "Frobnicate", "{}")
  check(not pcall(engine.call_raw, engine, "ListInputs", {}), "call_raw needs a string")
  check(not pcall(engine.call, engine, "ListInputs", "{}"), "call needs a table")
  engine:close()
end)

test("errors: code, message, members, tostring", function()
  local engine = heartbeat_engine()
  local err = raises("InvalidRequestException", engine.create_input, engine, { inputName = "X" })
  contains(err.message, "inputDefinition", "a missing required member is named")
  eq(err.status, 1, "status")
  eq(err.operation, "CreateInput", "operation")
  eq(tostring(err), "InvalidRequestException: " .. err.message .. " (CreateInput)", "__tostring")
  err = raises("InvalidRequestException", engine.list_inputs, engine, { colour = "blue" })
  contains(err.message, "colour", "an unknown member is named")
  err = raises("ResourceAlreadyExistsException", engine.create_input, engine, model("heartbeat-input.json"))
  eq(err.resourceId, "Heartbeat", "resourceId of ResourceAlreadyExists")
  eq(err.resourceArn, "arn:aws:iotevents:us-east-1:123456789012:input/Heartbeat", "resourceArn")
  eq(err.__type, nil, "__type becomes code")
  err = raises("ResourceNotFoundException", engine.describe_detector, engine,
    { detectorModelName = "deviceHeartbeat", keyValue = "nobody" })
  contains(err.message, "nobody", "names the missing key")
  err = raises("InvalidRequestException", engine.describe_detector, engine,
    { detectorModelName = "deviceHeartbeat", keyValue = "bad key" })
  contains(err.message, "keyValue", "a constraint names the member")
  -- a failed call changes nothing
  raises("InvalidRequestException", engine.batch_put_message, engine,
    { messages = { beat("d1", 1, "ok"), { messageId = "bad" } } })
  raises("ResourceNotFoundException", engine.describe_detector, engine, { detectorModelName = "deviceHeartbeat", keyValue = "d1" })
  engine:close()
end)

test("the safe module returns nil, err", function()
  local engine = heartbeat_engine(safe)
  local r, err = engine:create_input { inputName = "X" }
  eq(r, nil, "nil on a library error")
  eq(err.code, "InvalidRequestException", "err")
  contains(tostring(err), "inputDefinition", "tostring(err)")
  r, err = engine:list_inputs { bad = 0 / 0 }
  eq(r, nil, "nil on an encoding error")
  contains(err.message, "NaN", "names the problem")
  r, err = engine:call_raw("ListInputs", "[")
  eq(r, nil, "call_raw nil")
  eq(err.code, "InvalidRequestException", "call_raw err")
  r, err = engine:list_inputs()
  eq(#r.inputSummaries, 1, "success returns the response")
  eq(err, nil, "and no error")
  r, err = safe.encode({ f = print })
  eq(r, nil, "safe encode")
  contains(err.message, "function value at f", "safe encode's error")
  r, err = safe.decode("{")
  eq(r, nil, "safe decode")
  contains(err.message, "byte", "decode errors give the position")
  engine:on_action(function() error("boom") end)
  engine:batch_put_message { messages = { beat("d1", 1, "m1") } }
  r, err = engine:tick(T0 + 300000)
  eq(r, nil, "a callback error is returned too")
  contains(err, "boom", "the callback's own error value")
  engine:on_action(nil)
  engine:close()
  check(not pcall(engine.list_inputs, engine), "a closed engine raises even in the safe module")
end)

-- -------------------------------------------------------------------------------------------
-- Time
-- -------------------------------------------------------------------------------------------

test("tick and next_deadline", function()
  local engine = heartbeat_engine()
  eq(engine:next_deadline(), nil, "nil when nothing is pending")
  engine:batch_put_message { messages = { beat("d1", 97, "m1") } }
  local deadline = engine:next_deadline()
  eq(deadline, T0 + 300000, "the timer's deadline in epoch ms")
  check(is_integer(deadline), "an integer")
  eq(engine:tick(T0 + 299999), 0, "nothing due yet")
  local fired = engine:tick(deadline)
  eq(fired, 1, "one expiry")
  check(is_integer(fired), "tick's count is an integer")
  eq(engine:tick(), 0, "tick() = now on the manual clock")
  eq(engine:tick(T0), 0, "the clock never moves backwards")
  check(not pcall(engine.tick, engine, "soon"), "a non-number is an argument error")
  check(not pcall(engine.tick, engine, 1.5), "a fractional time is an argument error")
  eq(engine:describe_detector({ detectorModelName = "deviceHeartbeat", keyValue = "d1" }).detector.state.stateName,
    "Offline", "the timer fired")
  engine:close()
end)

-- -------------------------------------------------------------------------------------------
-- Action callbacks
-- -------------------------------------------------------------------------------------------

test("callbacks: decoded actions, after the call", function()
  local engine = heartbeat_engine()
  local actions = {}
  engine:on_action(function(a) actions[#actions + 1] = a end)
  engine:batch_put_message { messages = { beat("d1", 97, "m1") } }
  eq(#actions, 0, "no action yet")
  engine:tick(T0 + 300000)
  eq(#actions, 1, "one action from the tick")
  local a = actions[1]
  eq(a.type, "sns", "type")
  eq(a.action.targetArn, "arn:aws:sns:us-east-1:123456789012:device-alerts", "action")
  eq(a.source, { detectorModelName = "deviceHeartbeat", detectorModelVersion = "1", keyValue = "d1",
    stateName = "Offline", eventName = "offlineAlert" }, "source")
  eq(a.eventTime, T0 + 300000, "eventTime")
  eq(iotevents.decode(a.payload), { device = "d1", status = "offline", beats = 1 }, "payload text")
  engine:batch_put_message { messages = { beat("d1", 90, "m2") } }
  eq(actions[2].type, "iotTopicPublish", "an action from a message")
  eq(actions[2].action.mqttTopic, "devices/d1/online", "evaluated topic")
  local n = engine:pending()
  eq(n, 0, "nothing left queued")
  engine:close()
end)

test("callbacks: a callback that calls back into the engine", function()
  local engine = heartbeat_engine()
  local order = {}
  engine:on_action(function(a)
    order[#order + 1] = a.type .. ":" .. a.source.keyValue
    if a.type == "sns" and a.source.keyValue == "d1" then
      -- the device came back: report it from inside the callback
      local r = engine:batch_put_message { messages = { beat("d1", 80, "again") } }
      eq(r.BatchPutMessageErrorEntries, {}, "nested call's response")
      local d = engine:describe_detector { detectorModelName = "deviceHeartbeat", keyValue = "d1" }
      eq(d.detector.state.stateName, "Online", "the nested message applied")
    end
  end)
  engine:batch_put_message { messages = { beat("d1", 97, "m1"), beat("d2", 97, "m2") } }
  eq(engine:tick(T0 + 300000), 2, "two expiries")
  -- d1's alert, d2's alert, then the iotTopicPublish of d1's nested message: execution order,
  -- and the callback is not re-entered while it runs.
  eq(order, { "sns:d1", "sns:d2", "iotTopicPublish:d1" }, "delivery order")
  engine:close()
end)

test("callbacks: an error propagates, the rest stays queued", function()
  local engine = heartbeat_engine()
  local got = {}
  engine:on_action(function(a)
    got[#got + 1] = a.source.keyValue
    if #got == 1 then error({ mine = true }) end
  end)
  engine:batch_put_message { messages = { beat("d1", 1, "m1"), beat("d2", 1, "m2"), beat("d3", 1, "m3") } }
  local ok, err = pcall(engine.tick, engine, T0 + 300000)
  eq(ok, false, "tick raises the callback's error")
  eq(err, { mine = true }, "the error value is the callback's own")
  eq(got, { "d1" }, "delivery stopped at the error")
  eq(engine:pending(), 2, "two actions still queued")
  eq(engine:next_deadline(), nil, "the engine finished the tick: every timer fired")
  eq(engine:deliver(), 2, "deliver() hands over the rest")
  eq(got, { "d1", "d2", "d3" }, "in order")
  eq(engine:deliver(), 0, "nothing left")
  -- a callback error after a successful call: the call applied, its response is lost
  engine:on_action(function() error("callback failed") end)
  ok, err = pcall(engine.batch_put_message, engine, { messages = { beat("d1", 5, "m4") } })
  eq(ok, false, "raises")
  contains(err, "callback failed", "message")
  eq(engine:describe_detector({ detectorModelName = "deviceHeartbeat", keyValue = "d1" }).detector.state.stateName,
    "Online", "the message was applied before the callback ran")
  engine:close()
end)

test("callbacks: on_action(nil), replacing, closing from inside", function()
  local engine = heartbeat_engine()
  local count = 0
  engine:on_action(function() count = count + 1 end)
  engine:on_action(nil)
  engine:batch_put_message { messages = { beat("d1", 1, "m1") } }
  engine:tick(T0 + 300000)
  eq(count, 0, "no callback after on_action(nil)")
  eq(engine:pending(), 0, "and nothing queued")
  local second = 0
  engine:on_action(function() count = count + 1 end)
  engine:on_action(function() second = second + 1 end)
  engine:batch_put_message { messages = { beat("d1", 1, "m2") } }
  eq(count, 0, "the replaced callback is not called")
  eq(second, 1, "the new one is")
  check(not pcall(engine.on_action, engine, 42), "on_action needs a function")
  -- an error left queued actions; on_action(nil) drops them
  engine:on_action(function() error("x") end)
  engine:batch_put_message { messages = { beat("d2", 1, "m3"), beat("d3", 1, "m4") } }
  pcall(engine.tick, engine, T0 + 600000)
  check(engine:pending() > 0, "queued after the error")
  engine:on_action(nil)
  eq(engine:pending(), 0, "on_action(nil) drops the queue")
  -- close from inside a callback: delivery stops, the call returns normally
  local e2 = heartbeat_engine()
  local seen = 0
  e2:on_action(function() seen = seen + 1; e2:close() end)
  e2:batch_put_message { messages = { beat("a", 1, "m1"), beat("b", 1, "m2") } }
  e2:tick(T0 + 300000)
  eq(seen, 1, "closed after the first action")
  eq(e2:is_closed(), true, "closed")
  engine:close()
end)

test("callbacks: the timer thread queues, Lua delivers", function()
  local engine = iotevents.open { timer_thread = true, limits = { min_timer_seconds = 1 } }
  local seen = {}
  engine:on_action(function(a) seen[#seen + 1] = a.action.targetArn end)
  engine:create_input { inputName = "Beat", inputDefinition = { attributes = { { jsonPath = "id" } } } }
  engine:create_detector_model {
    detectorModelName = "watch", key = "id", roleArn = "arn:aws:iam::123456789012:role/r",
    detectorModelDefinition = { initialStateName = "Armed", states = {
      { stateName = "Armed",
        onEnter = { events = { { eventName = "arm", actions = { { setTimer = { timerName = "q", seconds = 1 } } } } } },
        onInput = { events = { { eventName = "seen", condition = 'currentInput("Beat")' } }, transitionEvents = { { eventName = "silent", condition = 'timeout("q")', nextState = "Silent",
          actions = { { sns = { targetArn = "arn:aws:sns:us-east-1:123456789012:silent" } } } } } } },
      { stateName = "Silent" },
    } },
  }
  engine:batch_put_message { messages = { { messageId = "1", inputName = "Beat", payload = { id = "a" } } } }
  local deadline = os.time() + 10
  while engine:pending() == 0 and os.time() < deadline do os.execute("sleep 0.2") end
  eq(#seen, 0, "nothing delivered from the timer thread itself")
  eq(engine:pending(), 1, "the expiry's action is queued")
  eq(engine:deliver(), 1, "delivered on the Lua thread")
  eq(seen, { "arn:aws:sns:us-east-1:123456789012:silent" }, "the action")
  engine:close()
end)

-- -------------------------------------------------------------------------------------------
-- Tables of odd shapes
-- -------------------------------------------------------------------------------------------

local function encode_error(value, op)
  local ok, err = pcall(iotevents.encode, value, op)
  check(not ok, "expected an encoding error for " .. tostring(value))
  eq(err.code, "InvalidRequestException", "encoding errors are InvalidRequestException")
  return err.message
end

test("tables: objects, arrays, empty tables", function()
  eq(iotevents.encode({}), "{}", "an empty table is an object")
  eq(iotevents.encode(iotevents.array()), "[]", "iotevents.array() is an empty array")
  eq(iotevents.encode(iotevents.array({})), "[]", "iotevents.array(t) marks t")
  eq(iotevents.encode(setmetatable({}, iotevents.array_mt)), "[]", "array_mt marks too")
  eq(iotevents.encode({ 1, 2, 3 }), "[1,2,3]", "a sequence is an array")
  eq(iotevents.encode({ a = 1 }), '{"a":1}', "string keys: an object")
  eq(iotevents.encode({ { {} } }), "[[{}]]", "nested")
  eq(iotevents.encode(iotevents.array({ "x" })), '["x"]', "a marked non-empty array")
  eq(iotevents.encode({ b = { iotevents.null } }), '{"b":[null]}', "null")
  eq(iotevents.encode({ a = iotevents.null }), '{"a":null}', "null member")
  eq(iotevents.encode(true), "true", "a bare boolean")
  eq(iotevents.encode("s"), '"s"', "a bare string")
  local decoded = iotevents.decode('{"a":[],"b":{},"c":[1,[2]],"d":null}')
  eq(getmetatable(decoded.a), iotevents.array_mt, "decoded [] is marked")
  eq(getmetatable(decoded.b), nil, "decoded {} is a plain table")
  eq(decoded.d, iotevents.null, "decoded null")
  eq(decoded.c[2][1], 2, "nested arrays")
  local again = iotevents.decode(iotevents.encode(decoded))
  eq(again.a, {}, "round trip of []")
  eq(getmetatable(again.a), iotevents.array_mt, "still an array")
  check(not pcall(iotevents.array, 5), "array() needs a table")
end)

test("tables: an empty table where the service model has a list is []", function()
  -- The operation's request shape (operations.h, generated from the service models) says
  -- which members are lists, at any depth: lists of structures, structures in lists.
  eq(iotevents.encode({ tags = {} }, "TagResource"), '{"tags":[]}', "a top-level list member")
  eq(iotevents.encode({ inputDefinition = { attributes = {} } }, "CreateInput"),
     '{"inputDefinition":{"attributes":[]}}', "a list inside a structure")
  local text = iotevents.encode({ detectorModelDefinition = { states = { { stateName = "S", onInput = { events = {},
    transitionEvents = {} }, onEnter = { events = { { eventName = "e", actions = {} } } } } } } }, "CreateDetectorModel")
  local state = iotevents.decode(text).detectorModelDefinition.states[1]
  eq(getmetatable(state.onInput.events), iotevents.array_mt, "a list in a structure in a list element: " .. text)
  eq(getmetatable(state.onInput.transitionEvents), iotevents.array_mt, "its sibling list")
  eq(getmetatable(state.onEnter.events[1].actions), iotevents.array_mt, "a list two lists deep")
  eq(state.onEnter.events[1].eventName, "e", "the rest is unchanged")
  eq(iotevents.encode({ inputDefinition = {} }, "CreateInput"), '{"inputDefinition":{}}', "an empty structure stays {}")
  eq(iotevents.encode({ unknownMember = {} }, "CreateInput"), '{"unknownMember":{}}', "a member the model lacks: {}")
  eq(iotevents.encode({ tags = {} }), '{"tags":{}}', "without an operation name: {}")

  -- As a new user writes it: a state with no events yet, through the engine.
  local engine = tracked(iotevents.open { clock = "manual", start_time_millis = T0 })
  engine:create_input { inputName = "Ping", inputDefinition = { attributes = { { jsonPath = "id" } } } }
  local r = engine:create_detector_model {
    detectorModelName = "quiet", key = "id", roleArn = "arn:aws:iam::123456789012:role/r",
    detectorModelDefinition = { initialStateName = "Idle", states = {
      { stateName = "Idle", onInput = { events = {}, transitionEvents = {
          { eventName = "go", condition = 'currentInput("Ping")', nextState = "Busy", actions = {} } } },
        onEnter = { events = {} } },
      { stateName = "Busy", onInput = { events = {}, transitionEvents = {} }, onExit = { events = {} } } } } }
  eq(r.detectorModelConfiguration.detectorModelVersion, "1", "onInput = { events = {} } is accepted")
  r = engine:describe_detector_model { detectorModelName = "quiet" }
  state = r.detectorModel.detectorModelDefinition.states[1]
  eq(#state.onInput.events, 0, "and described back as an empty list")
  r = engine:list_tags_for_resource { resourceArn = "arn:aws:iotevents:us-east-1:123456789012:input/Ping" }
  eq(#r.tags, 0, "no tags")
  engine:tag_resource { resourceArn = "arn:aws:iotevents:us-east-1:123456789012:input/Ping", tags = {} }
end)

test("tables: sparse, mixed, bad keys, bad values name the path", function()
  contains(encode_error({ 1, 2, nil, 4 }), "sparse array: index 3 of 4 is nil at the top level", "sparse")
  contains(encode_error({ a = { b = { [1] = 1, [3] = 3 } } }), "sparse array: index 2 of 3 is nil at a.b", "sparse, nested")
  contains(encode_error({ [2] = "x" }), "index 1 of 2", "an array without its first element")
  contains(encode_error({ 1, 2, x = 3 }), "mixed table", "mixed: integers first")
  contains(encode_error({ x = 1, [1] = 2, [2] = 3, [3] = 4, [4] = 5 }), "mixed table", "mixed: strings and integers")
  contains(encode_error(iotevents.array({ x = 1 })), "string key \"x\"", "a string key in a marked array")
  contains(encode_error({ [true] = 1 }), "key of type boolean", "boolean key")
  contains(encode_error({ [1.5] = 1 }), "table key 1.5", "float key")
  contains(encode_error({ [0] = 1 }), "table key 0", "zero key")
  contains(encode_error({ [-1] = 1 }), "table key -1", "negative key")
  contains(encode_error({ [{}] = 1 }), "key of type table", "table key")
  contains(encode_error({ messages = { { payload = { f = print } } } }), "function value at messages[1].payload.f",
    "function value")
  contains(encode_error({ a = { io.stdout } }), "userdata value at a[1]", "userdata value")
  contains(encode_error({ co = coroutine.create(function() end) }), "thread value at co", "coroutine value")
  contains(encode_error({ ["odd key"] = { print } }), '["odd key"][1]', "a key that is no identifier")
  -- through an engine: the same message, named operation, nothing sent
  local engine = iotevents.open { clock = "manual" }
  local err = raises("InvalidRequestException", engine.batch_put_message, engine,
    { messages = { { messageId = "1", inputName = "I", payload = { v = 0 / 0 } } } })
  contains(err.message, "NaN at messages[1].payload.v (JSON has no NaN)", "NaN path")
  eq(err.operation, "BatchPutMessage", "operation")
  engine:close()
end)

test("tables: numbers", function()
  contains(encode_error({ x = 0 / 0 }), "NaN", "NaN")
  contains(encode_error({ x = math.huge }), "inf at x (JSON has no infinities)", "inf")
  contains(encode_error({ x = -math.huge }), "-inf", "-inf")
  eq(iotevents.encode({ 10, -3, 0 }), "[10,-3,0]", "integers")
  eq(iotevents.encode(1.5), "1.5", "a fraction")
  eq(iotevents.encode(0.1), "0.1", "shortest round-trip form")
  eq(iotevents.encode(1 / 3), "0.33333333333333331", "17 digits when needed")
  eq(iotevents.encode(1e300), "1e+300", "a large double")
  eq(iotevents.decode("0.1"), 0.1, "decoded fraction")
  eq(iotevents.decode("-2.5e3"), -2500, "exponent")
  eq(iotevents.decode(iotevents.encode(1 / 3)), 1 / 3, "doubles round-trip")
  if INTEGERS then
    eq(iotevents.encode(10.0), "10.0", "5.3+: an integral float stays a float")
    eq(iotevents.encode(2 ^ 53), "9007199254740992.0", "5.3+: 2^53 is a float")
    eq(iotevents.encode(math.maxinteger), "9223372036854775807", "maxinteger")
    eq(iotevents.encode(math.mininteger), "-9223372036854775808", "mininteger")
    local big = iotevents.decode("9223372036854775807")
    eq(math.type(big), "integer", "decoded maxinteger is an integer")
    eq(big, math.maxinteger, "exactly")
    eq(iotevents.decode("-9223372036854775808"), math.mininteger, "mininteger decodes")
    eq(math.type(iotevents.decode("9223372036854775808")), "float", "beyond int64: a float")
    eq(math.type(iotevents.decode("1.0")), "float", "1.0 decodes as a float")
    eq(math.type(iotevents.decode("1")), "integer", "1 decodes as an integer")
  else
    eq(iotevents.encode(10.0), "10", "doubles only: integral values are written as integers")
    eq(iotevents.encode(2 ^ 53), "9007199254740992", "2^53")
    eq(iotevents.encode(-(2 ^ 62)), "-4611686018427387904", "-2^62")
    eq(iotevents.encode(2 ^ 70), "1.1805916207174113e+21", "beyond int64: exponent form")
    eq(iotevents.decode("9223372036854775807"), 2 ^ 63, "large integers decode as doubles")
  end
  -- a huge integer is the library's to judge: here an out-of-range maxResults
  local engine = iotevents.open { clock = "manual" }
  local err = raises("InvalidRequestException", engine.list_inputs, engine, { maxResults = 2 ^ 62 })
  contains(err.message, "maxResults", "names the member")
  engine:close()
end)

test("tables: strings, unicode, NUL bytes, binary payloads", function()
  local s = "h\195\169llo \226\156\147 \240\159\152\128" -- héllo ✓ 😀
  eq(iotevents.encode(s), '"' .. s .. '"', "UTF-8 passes unescaped")
  eq(iotevents.decode(iotevents.encode(s)), s, "and round-trips")
  eq(iotevents.decode('"\\u00e9\\u2713\\ud83d\\ude00"'), "\195\169\226\156\147\240\159\152\128", "\\u escapes")
  eq(iotevents.encode("a\0b\n\"\\\1"), '"a\\u0000b\\n\\"\\\\\\u0001"', "NUL and control characters are escaped")
  eq(iotevents.decode('"a\\u0000b"'), "a\0b", "\\u0000 decodes to a NUL byte")
  contains(encode_error({ name = "bad\255" }), "invalid UTF-8 in a string (byte 4", "invalid UTF-8 is refused")
  contains(encode_error({ ["k\192"] = 1 }), "invalid UTF-8", "in keys too")
  contains(encode_error("\237\160\128"), "invalid UTF-8", "an encoded surrogate")
  check(not pcall(iotevents.decode, '"\\ud83d"'), "a lone surrogate is a decode error")
  check(not pcall(iotevents.decode, '[1,]'), "trailing comma")
  check(not pcall(iotevents.decode, '{"a":1} x'), "trailing characters")
  check(not pcall(iotevents.decode, '01'), "leading zero")
  -- payloads: a string is base64 on the wire, any bytes allowed
  eq(iotevents.encode({ messages = { { payload = "a\0b\255" } } }, "BatchPutMessage"),
    '{"messages":[{"payload":"YQBi/w=="}]}', "binary payload base64")
  eq(iotevents.encode({ messages = { { payload = "" } } }, "BatchPutMessage"), '{"messages":[{"payload":""}]}', "empty")
  eq(iotevents.encode({ messages = { { payload = "ab" } } }, "BatchPutMessage"), '{"messages":[{"payload":"YWI="}]}', "padding")
  eq(iotevents.encode({ payload = "ab" }, "BatchPutMessage"), '{"payload":"ab"}', "only at the blob path")
  local engine = heartbeat_engine()
  local r = engine:batch_put_message { messages = {
    { messageId = "t", inputName = "Heartbeat", payload = { deviceId = "tbl", battery = 1 } },
    { messageId = "s", inputName = "Heartbeat", payload = '{"deviceId":"str","battery":2}' },
    { messageId = "b", inputName = "Heartbeat", payload = "\0\1\2\255" },
    { messageId = "u", inputName = "Heartbeat", payload = { deviceId = "uni", battery = 3, note = s } },
  } }
  eq(#r.BatchPutMessageErrorEntries, 1, "one bad payload")
  eq(r.BatchPutMessageErrorEntries[1].messageId, "b", "the binary one is not JSON")
  contains(r.BatchPutMessageErrorEntries[1].errorMessage, "payload", "named")
  local d = engine:describe_detector { detectorModelName = "deviceHeartbeat", keyValue = "str" }
  eq(d.detector.state.variables[2].value, "2", "a string payload was decoded by the library")
  d = engine:describe_detector { detectorModelName = "deviceHeartbeat", keyValue = "tbl" }
  eq(d.detector.state.variables[2].value, "1", "a table payload went as a JSON object")
  engine:close()
end)

test("tables: deep and cyclic", function()
  local deep = {}
  local t = deep
  for _ = 1, 300 do t.x = {}; t = t.x end
  contains(encode_error(deep), "tables nested deeper than 256 levels at x.x.x", "deep tables")
  local arr = {}
  t = arr
  for _ = 1, 300 do t[1] = {}; t = t[1] end
  contains(encode_error(arr), "nested deeper", "deep arrays")
  local ok = pcall(iotevents.encode, (function() local r = {}; local c = r; for _ = 1, 200 do c.x = {}; c = c.x end; return r end)())
  check(ok, "200 levels encode")
  local cyclic = { a = {} }
  cyclic.a.b = cyclic
  contains(encode_error(cyclic), "cyclic table (it contains itself) at a.b", "a cycle")
  local self = {}
  self[1] = self
  contains(encode_error(self), "cyclic table (it contains itself) at [1]", "a table in itself")
  local shared = {}
  eq(iotevents.encode({ shared, shared }), "[{},{}]", "a shared table is no cycle")
  check(not pcall(iotevents.decode, string.rep("[", 300) .. string.rep("]", 300)), "deep JSON is a decode error")
  eq(#iotevents.decode(string.rep("[", 100) .. string.rep("]", 100)), 1, "100 levels decode")
  -- the library's own limit (maxJsonDepth 64) is an error of the library, named
  local engine = iotevents.open { clock = "manual" }
  local err = raises("InvalidRequestException", engine.list_inputs, engine, (function()
    local r = {}; local c = r; for _ = 1, 100 do c.x = {}; c = c.x end; return r end)())
  contains(err.message, "maxJsonDepth", "the library names its limit")
  engine:close()
end)

test("locale: numbers keep '.' under a comma locale", function()
  local locale
  for _, name in ipairs { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8" } do
    locale = os.setlocale(name, "numeric")
    if locale then break end
  end
  if not locale then return end -- no such locale installed
  local ok, err = pcall(function()
    eq(iotevents.encode(1.5), "1.5", "encoded with '.'")
    eq(iotevents.decode("2.25"), 2.25, "decoded with '.'")
  end)
  os.setlocale("C", "numeric")
  if not ok then error(err, 0) end
end)

-- -------------------------------------------------------------------------------------------
-- Lifetimes
-- -------------------------------------------------------------------------------------------

test("close, __gc, two engines", function()
  local a = heartbeat_engine()
  local b = iotevents.open { clock = "manual", start_time_millis = T0 }
  local got_a, got_b = 0, 0
  a:on_action(function() got_a = got_a + 1 end)
  b:on_action(function() got_b = got_b + 1 end)
  eq(#b:list_inputs().inputSummaries, 0, "engines do not share state")
  a:batch_put_message { messages = { beat("d1", 1, "m1") } }
  b:create_input(model("heartbeat-input.json"))
  b:create_detector_model(model("heartbeat.json"))
  b:batch_put_message { messages = { beat("d1", 1, "m1"), beat("d2", 1, "m2") } }
  a:tick(T0 + 300000)
  b:tick(T0 + 300000)
  eq(got_a, 1, "a's actions go to a's callback")
  eq(got_b, 2, "b's to b's")
  a:close()
  a:close() -- twice is harmless
  eq(a:is_closed(), true, "is_closed")
  check(tostring(a):find("closed", 1, true), "tostring of a closed engine")
  local ok, err = pcall(a.list_inputs, a)
  check(not ok and tostring(err):find("closed", 1, true), "a closed engine raises")
  a = nil
  collectgarbage("collect") -- __gc after close
  eq(#b:list_inputs().inputSummaries, 1, "b still works")
  b:close()
end)

test("__gc closes an engine nobody closed, even one its callback refers to", function()
  local weak = setmetatable({}, { __mode = "v" })
  do
    local engine = heartbeat_engine()
    engine:on_action(function() return engine end) -- a cycle through the callback
    engine:batch_put_message { messages = { beat("d1", 1, "m1") } }
    weak[1] = engine
  end
  collectgarbage("collect")
  collectgarbage("collect")
  eq(weak[1], nil, "collected")
end)

test("on_log and counters (issue 28)", function()
  local engine = heartbeat_engine()
  local records, order = {}, {}
  engine:on_log(function(r) records[#records + 1] = r; order[#order + 1] = "log:" .. r.event end)
  engine:on_action(function(a) order[#order + 1] = "action:" .. a.type end)
  engine:batch_put_message { messages = { beat("q", 50, "m1") } }
  eq(#records, 0, "no records before PutLoggingOptions enables logging")
  engine:put_logging_options { loggingOptions = { roleArn = "arn:aws:iam::123456789012:role/logs", level = "DEBUG", enabled = true } }
  engine:batch_put_message { messages = { beat("q", 50, "m2") } }
  check(#records > 0, "DEBUG records delivered")
  eq(records[#records].event, "evaluationSummary", "the evaluation ends with its summary")
  eq(records[#records].keyValue, "q", "the record names the detector")
  eq(records[#records].conditionEvaluationResults ~= nil, true, "conditionEvaluationResults")
  engine:batch_put_message { messages = { beat("q", 50, "m2") } }
  eq(records[#records].event, "duplicateMessage", "a repeated messageId is logged at DEBUG")
  local before = #records
  engine:on_log(nil)
  engine:batch_put_message { messages = { beat("q", 50, "m3") } }
  eq(#records, before, "no records once the callback is removed")
  local counters = engine:counters()
  eq(counters.messagesAccepted, 3, "counters.messagesAccepted")
  eq(counters.duplicateMessages, 1, "counters.duplicateMessages")
  eq(counters.detectors, 1, "counters.detectors")
  check(counters.logRecords.DEBUG > 0, "counters.logRecords.DEBUG")
  engine:close()
end)

test("many engines and calls", function()
  for i = 1, 20 do
    local engine = heartbeat_engine()
    for j = 1, 10 do
      engine:batch_put_message { messages = { beat("d" .. j, i, "m" .. j) } }
    end
    if i % 2 == 0 then engine:close() end
  end
  collectgarbage("collect")
end)

-- -------------------------------------------------------------------------------------------

test("every operation was called through its method", function()
  local missing = {}
  for _, op in ipairs(iotevents.operations) do
    if not called[op.method] then missing[#missing + 1] = op.method end
  end
  eq(missing, {}, "operations never called")
end)

print(("lua-test %s: %d passed, %d failed"):format(NAME, passed, failed))
-- Collect what is unreachable (engines nobody closed: __gc closes them), then exit without
-- closing the state: closing would dlclose libiotevents, and memcheck would then count the
-- library's own global caches as lost.
collectgarbage("collect")
collectgarbage("collect")
os.exit(failed == 0 and 0 or 1)
