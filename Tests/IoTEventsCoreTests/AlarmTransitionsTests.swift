import Testing
@testable import IoTEventsCore

/// Invariants of the alarm state machine (semantics.md §5.4) that hold whatever the table says;
/// the table itself is tested row by row through the C harness (Tests/alarm-table).
@Suite struct AlarmTransitionsTests {
    /// With the acknowledge flow off, ACKNOWLEDGED and LATCHED are unreachable.
    @Test func acknowledgeFlowOffStaysInTheSmallMachine() {
        var reachable: Set<AlarmStateName> = [.disabled]
        var frontier: [AlarmStateName] = [.disabled, .normal]
        reachable.insert(.normal)
        while let state = frontier.popLast() {
            var next: [AlarmStateName] = []
            if AlarmTransitions.evaluates(in: state) {
                next.append(AlarmTransitions.afterRule(state, ruleTrue: true, acknowledgeFlow: false))
                next.append(AlarmTransitions.afterRule(state, ruleTrue: false, acknowledgeFlow: false))
            }
            for action in AlarmOperatorAction.allCases {
                if let n = AlarmTransitions.afterAction(action, from: state, acknowledgeFlow: false) { next.append(n) }
            }
            for n in next where reachable.insert(n).inserted { frontier.append(n) }
        }
        #expect(reachable == [.disabled, .normal, .active, .snoozeDisabled])
    }

    /// Disabled and snoozed alarms ignore data; every other state evaluates.
    @Test func onlyEnabledAlarmsEvaluate() {
        for state in AlarmStateName.allCases {
            #expect(AlarmTransitions.evaluates(in: state) == (state != .disabled && state != .snoozeDisabled))
        }
    }

    /// From every state some operator action leads back to NORMAL (no alarm can get stuck).
    @Test func normalIsAlwaysReachable() {
        for flow in [true, false] {
            for state in AlarmStateName.allCases {
                var found = state == .normal
                for action in AlarmOperatorAction.allCases {
                    if let n = AlarmTransitions.afterAction(action, from: state, acknowledgeFlow: flow) {
                        if n == .normal || AlarmTransitions.afterAction(.enable, from: n, acknowledgeFlow: flow) == .normal { found = true }
                    }
                }
                #expect(found, "\(state) with acknowledge flow \(flow)")
            }
        }
    }

    @Test func comparisonOperatorsReadTheOrder() {
        #expect(ComparisonOperator.greater.holds(1) && !ComparisonOperator.greater.holds(0))
        #expect(ComparisonOperator.greaterOrEqual.holds(0) && !ComparisonOperator.greaterOrEqual.holds(-1))
        #expect(ComparisonOperator.less.holds(-1) && !ComparisonOperator.less.holds(0))
        #expect(ComparisonOperator.lessOrEqual.holds(0) && !ComparisonOperator.lessOrEqual.holds(1))
        #expect(ComparisonOperator.equal.holds(0) && !ComparisonOperator.equal.holds(1))
        #expect(ComparisonOperator.notEqual.holds(-1) && !ComparisonOperator.notEqual.holds(0))
    }
}
