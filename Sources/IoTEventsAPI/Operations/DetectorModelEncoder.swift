import CJanssonShim
import IoTEventsCore

/// `DetectorModelDefinition` → `detectorModelDefinition` JSON, as DescribeDetectorModel returns
/// it: the definition as it was given (members in service-model order, lists omitted when empty
/// lifecycles were not given are omitted too).
enum DetectorModelEncoder {
    static func definition(_ model: DetectorModelDefinition) -> JSONObject {
        var states = JSONArray()
        for state in model.states {
            var s = JSONObject()
            s.set("stateName", state.stateName)
            if !state.onInput.isEmpty || !state.transitions.isEmpty {
                var onInput = JSONObject()
                onInput.set("events", array: events(state.onInput))
                var transitions = JSONArray()
                for t in state.transitions {
                    var o = JSONObject()
                    o.set("eventName", t.eventName)
                    o.set("condition", t.condition)
                    o.set("actions", array: actions(t.actions))
                    o.set("nextState", t.nextState)
                    transitions.append(object: o)
                }
                onInput.set("transitionEvents", array: transitions)
                s.set("onInput", object: onInput)
            }
            if !state.onEnter.isEmpty {
                var onEnter = JSONObject()
                onEnter.set("events", array: events(state.onEnter))
                s.set("onEnter", object: onEnter)
            }
            if !state.onExit.isEmpty {
                var onExit = JSONObject()
                onExit.set("events", array: events(state.onExit))
                s.set("onExit", object: onExit)
            }
            states.append(object: s)
        }
        var object = JSONObject()
        object.set("states", array: states)
        object.set("initialStateName", model.initialStateName)
        return object
    }

    private static func events(_ list: [EventDefinition]) -> JSONArray {
        var array = JSONArray()
        for e in list {
            var o = JSONObject()
            o.set("eventName", e.eventName)
            o.set("condition", e.condition)
            o.set("actions", array: actions(e.actions))
            array.append(object: o)
        }
        return array
    }

    static func actions(_ list: [ActionDefinition]) -> JSONArray {
        var array = JSONArray()
        for action in list {
            var body = JSONObject()
            let member: String
            switch action {
            case .setVariable(let name, let value):
                member = "setVariable"
                body.set("variableName", name)
                body.set("value", value)
            case .setTimer(let name, let seconds, let expression):
                member = "setTimer"
                body.set("timerName", name)
                if let seconds { body.set("seconds", integer: seconds) }
                body.set("durationExpression", expression)
            case .resetTimer(let name):
                member = "resetTimer"
                body.set("timerName", name)
            case .clearTimer(let name):
                member = "clearTimer"
                body.set("timerName", name)
            case .external(let external):
                member = external.kind.rawValue
                for p in external.parameters { body.set(p.name, parameter(p.value)) }
                if let payload = external.payload {
                    var p = JSONObject()
                    p.set("contentExpression", payload.contentExpression)
                    p.set("type", payload.type.rawValue)
                    body.set("payload", object: p)
                }
            }
            var wrapper = JSONObject()
            wrapper.set(member, object: body)
            array.append(object: wrapper)
        }
        return array
    }

    static func parameter(_ value: ActionParameterValue) -> UnsafeMutablePointer<json_t>? {
        switch value {
        case .text(let s): return JSONText.string(s)
        case .integer(let n): return json_integer(json_int_t(n))
        case .boolean(let b): return b ? json_true() : json_false()
        case .object(let members):
            var o = JSONObject()
            for m in members { o.set(m.name, parameter(m.value)) }
            return o.take()
        case .array(let values):
            var a = JSONArray()
            for v in values { a.append(parameter(v)) }
            return a.take()
        }
    }
}
