import CJanssonShim
import IoTEventsCore

/// `detectorModelDefinition` (already checked against the service model) → the core's
/// `DetectorModelDefinition`. Also enforces the one rule the service model cannot express:
/// every `Action` object sets exactly one action member.
enum DetectorModelDecoder {
    static func definition(_ json: JSONValue, path: String = "detectorModelDefinition") throws(ServiceError) -> DetectorModelDefinition {
        var states: [StateDefinition] = []
        for (i, s) in (json["states"]?.elements ?? []).enumerated() {
            let at = "\(path).states[\(i)]"
            var state = StateDefinition(stateName: s["stateName"]?.string ?? "")
            state.onEnter = try events(s["onEnter"]?["events"], "\(at).onEnter.events")
            state.onInput = try events(s["onInput"]?["events"], "\(at).onInput.events")
            state.onExit = try events(s["onExit"]?["events"], "\(at).onExit.events")
            for (j, t) in (s["onInput"]?["transitionEvents"]?.elements ?? []).enumerated() {
                state.transitions.append(TransitionDefinition(
                    eventName: t["eventName"]?.string ?? "", condition: t["condition"]?.string ?? "",
                    nextState: t["nextState"]?.string ?? "",
                    actions: try actions(t["actions"], "\(at).onInput.transitionEvents[\(j)].actions")))
            }
            states.append(state)
        }
        return DetectorModelDefinition(states: states, initialStateName: json["initialStateName"]?.string ?? "")
    }

    private static func events(_ list: JSONValue?, _ path: String) throws(ServiceError) -> [EventDefinition] {
        var result: [EventDefinition] = []
        for (i, e) in (list?.elements ?? []).enumerated() {
            result.append(EventDefinition(
                eventName: e["eventName"]?.string ?? "", condition: e["condition"]?.string,
                actions: try actions(e["actions"], "\(path)[\(i)].actions")))
        }
        return result
    }

    static func actions(_ list: JSONValue?, _ path: String) throws(ServiceError) -> [ActionDefinition] {
        var result: [ActionDefinition] = []
        for (i, a) in (list?.elements ?? []).enumerated() {
            result.append(try action(a, "\(path)[\(i)]"))
        }
        return result
    }

    private static func action(_ a: JSONValue, _ path: String) throws(ServiceError) -> ActionDefinition {
        var set: [String] = []
        a.forEachMember { key, value in
            if !value.isNull { set.append(String(cString: key)) }
        }
        guard set.count == 1, let member = set.first, let body = a[member] else {
            throw .invalidRequest("\(path): an action sets exactly one action member; this one sets \(set.count)\(set.isEmpty ? "" : " (\(set.joined(separator: ", ")))")")
        }
        switch member {
        case "setVariable":
            return .setVariable(name: body["variableName"]?.string ?? "", value: body["value"]?.string ?? "")
        case "setTimer":
            return .setTimer(name: body["timerName"]?.string ?? "", seconds: body["seconds"]?.integer,
                             durationExpression: body["durationExpression"]?.string)
        case "resetTimer":
            return .resetTimer(name: body["timerName"]?.string ?? "")
        case "clearTimer":
            return .clearTimer(name: body["timerName"]?.string ?? "")
        default:
            var kind: ExternalActionKind?
            for k in ExternalActionKind.allCases where k.rawValue == member { kind = k }
            guard let kind else { throw .invalidRequest("\(path): unknown action \(member)") }
            var payload: PayloadDefinition?
            if let p = body["payload"] {
                payload = PayloadDefinition(
                    contentExpression: p["contentExpression"]?.string ?? "",
                    type: p["type"]?.string == "STRING" ? .string : .json)
            }
            var parameters: [ActionParameter] = []
            body.forEachMember { key, value in
                let name = String(cString: key)
                if name != "payload", let v = parameter(value) { parameters.append(ActionParameter(name: name, value: v)) }
            }
            return .external(ExternalActionDefinition(kind: kind, parameters: parameters, payload: payload))
        }
    }

    /// A parameter value in its JSON type (the schema allows only these).
    static func parameter(_ value: JSONValue) -> ActionParameterValue? {
        if let s = value.string { return .text(s) }
        if let n = value.integer { return .integer(n) }
        if let b = value.bool { return .boolean(b) }
        if value.isObject {
            var members: [ActionParameter] = []
            value.forEachMember { key, v in
                if let p = parameter(v) { members.append(ActionParameter(name: String(cString: key), value: p)) }
            }
            return .object(members)
        }
        if value.isArray {
            var values: [ActionParameterValue] = []
            for e in value.elements { if let v = parameter(e) { values.append(v) } }
            return .array(values)
        }
        return nil
    }
}
