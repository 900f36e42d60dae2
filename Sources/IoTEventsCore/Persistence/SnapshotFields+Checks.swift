/// What a snapshot's checksum cannot promise: that the indexes and counts in it fit the models
/// they belong to. A snapshot written by this library always fits; one that does not (damage the
/// checksum missed, a bug, a hand-made file) would open and then trap on the first message that
/// indexes the state table or a slot array, so it fails the open instead, naming what is wrong.
///
/// Instances belong to their model's latest version: an update deletes them all.
extension SnapshotFields {
    /// Version numbers are positions from 1: pagination and updates rely on it.
    static func checkNumbering<Version: NumberedVersion>(_ versions: [Version], model: String) throws(SnapshotError) {
        for (i, v) in versions.enumerated() where v.number != i + 1 {
            throw .outOfRange("\(model) has version \(v.number) at position \(i + 1)")
        }
    }

    static func check(_ d: Detector, against version: DetectorModelVersion, model: String) throws(SnapshotError) {
        let what = "detector '\(d.key)' of detector model \(model)"
        let states = version.compiled.states.count
        guard d.state >= 0, d.state < states else {
            throw .outOfRange("\(what) is in state index \(d.state), out of range: version \(version.number) has \(states) states")
        }
        guard d.variables.count <= version.variableNames.count else {
            throw .outOfRange("\(what) has \(d.variables.count) variable slots, out of range: version \(version.number) names \(version.variableNames.count) variables")
        }
        guard d.timers.count <= version.timerNames.count else {
            throw .outOfRange("\(what) has \(d.timers.count) timer slots, out of range: version \(version.number) names \(version.timerNames.count) timers")
        }
        let attributes = version.compiled.symbols.inputAttributes.count
        guard d.attributes.count == attributes else {
            throw .outOfRange("\(what) retains \(d.attributes.count) input values, but version \(version.number) reads \(attributes) input attributes")
        }
    }

    static func check(_ a: Alarm, against version: AlarmModelVersion, model: String) throws(SnapshotError) {
        let attributes = version.compiled.symbols.inputAttributes.count
        guard a.attributes.count == attributes else {
            throw .outOfRange("alarm '\(a.key)' of alarm model \(model) retains \(a.attributes.count) input values, but version \(version.number) reads \(attributes) input attributes")
        }
    }
}
