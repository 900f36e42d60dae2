/// Why an action was skipped: the engine's counters count failed actions by these reasons, and
/// ERROR log records name them.
package enum ActionFailure: Int, CaseIterable, Sendable {
    /// A parameter or payload expression gave no usable value.
    case evaluation
    /// `setVariable`'s value was Undefined or Null (the variable keeps its value, §2.7).
    case assignment
    /// `setTimer`'s duration was not a number of seconds within the limits.
    case timerDuration
    /// A limit refused it (`maxValueChars`, `maxTimersPerDetector`, `maxLoopbackDepth`,
    /// `maxEvaluationsPerCall`).
    case limit
    /// An `iotEvents` action ran but its message was not delivered.
    case notDelivered

    package var name: String {
        switch self {
        case .evaluation: return "evaluation"
        case .assignment: return "assignment"
        case .timerDuration: return "timerDuration"
        case .limit: return "limit"
        case .notDelivered: return "notDelivered"
        }
    }
}

/// Failed actions by reason, one count each (a fixed layout: counting allocates nothing).
package struct ActionFailureCounts: Sendable {
    package private(set) var counts: (Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0)

    package init() {}

    mutating func add(_ reason: ActionFailure, _ n: Int = 1) {
        switch reason {
        case .evaluation: counts.0 += n
        case .assignment: counts.1 += n
        case .timerDuration: counts.2 += n
        case .limit: counts.3 += n
        case .notDelivered: counts.4 += n
        }
    }

    package subscript(_ reason: ActionFailure) -> Int {
        switch reason {
        case .evaluation: return counts.0
        case .assignment: return counts.1
        case .timerDuration: return counts.2
        case .limit: return counts.3
        case .notDelivered: return counts.4
        }
    }

    package var total: Int {
        var n = 0
        for reason in ActionFailure.allCases { n += self[reason] }
        return n
    }

    mutating func add(_ other: ActionFailureCounts) {
        for reason in ActionFailure.allCases { add(reason, other[reason]) }
    }
}
