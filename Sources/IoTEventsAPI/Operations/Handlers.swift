import CJanssonShim
import IoTEventsCore

/// The operation table: which handler serves each operation, and which operations this version
/// does not serve yet.
enum Handlers {
    /// Runs `op` on a request already checked against its shape. Returns the response body.
    /// Actions the call executed are appended to `output`.
    static func run(_ op: Operation, _ document: JSONDocument, _ engine: Engine, _ output: inout RunOutput) throws(ServiceError) -> UnsafeMutablePointer<json_t> {
        let request = document.root
        let body: UnsafeMutablePointer<json_t>?
        switch op {
        case .createInput: body = try InputOperations.create(request, engine)
        case .describeInput: body = try InputOperations.describe(request, engine)
        case .listInputs: body = try InputOperations.list(request, engine)
        case .updateInput: body = try InputOperations.update(request, engine)
        case .deleteInput: body = try InputOperations.delete(request, engine)
        case .tagResource: body = try TagOperations.tag(request, engine)
        case .untagResource: body = try TagOperations.untag(request, engine)
        case .listTagsForResource: body = try TagOperations.list(request, engine)
        case .putLoggingOptions: body = try LoggingOperations.put(request, engine)
        case .describeLoggingOptions: body = try LoggingOperations.describe(request, engine)
        case .createDetectorModel: body = try DetectorModelOperations.create(request, engine)
        case .describeDetectorModel: body = try DetectorModelOperations.describe(request, engine)
        case .listDetectorModels: body = try DetectorModelOperations.list(request, engine)
        case .listDetectorModelVersions: body = try DetectorModelOperations.listVersions(request, engine)
        case .updateDetectorModel: body = try DetectorModelOperations.update(request, engine)
        case .deleteDetectorModel: body = try DetectorModelOperations.delete(request, engine)
        case .listInputRoutings: body = try DetectorModelOperations.listInputRoutings(request, engine)
        case .batchPutMessage: body = try DetectorOperations.batchPutMessage(request, text: document.text, engine, &output)
        case .batchUpdateDetector: body = try DetectorOperations.batchUpdateDetector(request, engine)
        case .batchDeleteDetector: body = try DetectorOperations.batchDeleteDetector(request, engine)
        case .describeDetector: body = try DetectorOperations.describe(request, engine)
        case .listDetectors: body = try DetectorOperations.list(request, engine)
        case .createAlarmModel: body = try AlarmModelOperations.create(request, engine)
        case .describeAlarmModel: body = try AlarmModelOperations.describe(request, engine)
        case .listAlarmModels: body = try AlarmModelOperations.list(request, engine)
        case .listAlarmModelVersions: body = try AlarmModelOperations.listVersions(request, engine)
        case .updateAlarmModel: body = try AlarmModelOperations.update(request, engine)
        case .deleteAlarmModel: body = try AlarmModelOperations.delete(request, engine)
        case .batchAcknowledgeAlarm: body = try AlarmOperations.batch(.acknowledge, request, engine, &output)
        case .batchDisableAlarm: body = try AlarmOperations.batch(.disable, request, engine, &output)
        case .batchEnableAlarm: body = try AlarmOperations.batch(.enable, request, engine, &output)
        case .batchResetAlarm: body = try AlarmOperations.batch(.reset, request, engine, &output)
        case .batchSnoozeAlarm: body = try AlarmOperations.batch(.snooze, request, engine, &output)
        case .describeAlarm: body = try AlarmOperations.describe(request, engine)
        case .listAlarms: body = try AlarmOperations.list(request, engine)
        case .batchPutAssetPropertyValue: body = try SiteWiseOperations.batchPutAssetPropertyValue(request, engine, &output)
        case .startDetectorModelAnalysis: body = try AnalysisOperations.start(request, engine)
        case .describeDetectorModelAnalysis: body = try AnalysisOperations.describe(request, engine)
        case .getDetectorModelAnalysisResults: body = try AnalysisOperations.results(request, engine)
        // No `default:`: a new operation in the service models does not compile until it is routed
        // here (and placed in `unsupportedReason` and `changesState`).
        }
        guard let body else { throw ServiceError(.internalFailure, "Out of memory building the response") }
        return body
    }
}

extension Operation {
    /// Why this version cannot serve the operation, or nil when it can.
    var unsupportedReason: String? {
        switch self {
        case .createInput, .describeInput, .listInputs, .updateInput, .deleteInput,
             .tagResource, .untagResource, .listTagsForResource,
             .putLoggingOptions, .describeLoggingOptions,
             .createDetectorModel, .describeDetectorModel, .listDetectorModels, .listDetectorModelVersions,
             .updateDetectorModel, .deleteDetectorModel, .listInputRoutings,
             .batchPutMessage, .batchUpdateDetector, .batchDeleteDetector, .describeDetector, .listDetectors,
             .createAlarmModel, .describeAlarmModel, .listAlarmModels, .listAlarmModelVersions,
             .updateAlarmModel, .deleteAlarmModel,
             .batchAcknowledgeAlarm, .batchDisableAlarm, .batchEnableAlarm, .batchResetAlarm,
             .batchSnoozeAlarm, .describeAlarm, .listAlarms, .batchPutAssetPropertyValue,
             .startDetectorModelAnalysis, .describeDetectorModelAnalysis, .getDetectorModelAnalysisResults:
            return nil
        }
    }
}
