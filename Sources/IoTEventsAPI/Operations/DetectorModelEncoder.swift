import CJanssonShim
import IoTEventsCore

/// `DetectorModelDefinition` → `detectorModelDefinition` JSON, normalised as AWS returned it
/// (docs/behaviour.md §2.9, settled 2026-12-04; aws-cli's describe-detector-model example): every
/// state carries `onEnter`, `onInput` and `onExit`, each with `events`, `onInput` also with
/// `transitionEvents`, every event with `actions`, `[]` when the request had none. Everything
/// else is echoed as given.
enum DetectorModelEncoder {
    static func definition(_ model: DetectorModelDefinition) -> JSONObject {
        var states = JSONArray()
        for state in model.states {
            var s = JSONObject()
            s.set("stateName", state.stateName)
            var onInput = lifecycle(state.onInput)
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
            s.set("onEnter", object: lifecycle(state.onEnter))
            s.set("onExit", object: lifecycle(state.onExit))
            states.append(object: s)
        }
        var object = JSONObject()
        object.set("states", array: states)
        object.set("initialStateName", model.initialStateName)
        return object
    }

    /// `{"events": [...]}`, present even when the list is empty.
    private static func lifecycle(_ list: [EventDefinition]) -> JSONObject {
        var object = JSONObject()
        object.set("events", array: events(list))
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
