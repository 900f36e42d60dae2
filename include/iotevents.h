/*
 * iotevents.h -- libiotevents, an embeddable runtime for AWS IoT Events detector and alarm models.
 *
 * This header is the specification of the library's C ABI. Every function's contract (ownership,
 * threads, errors) is stated next to its declaration. Requests and responses are JSON documents in
 * exactly the member names and shapes of the AWS IoT Events APIs (botocore's service models
 * "iotevents" 2018-07-27 and "iotevents-data" 2018-10-23), in their REST-JSON wire form:
 *
 *   - timestamps in responses are JSON numbers of epoch seconds (with a millisecond fraction);
 *   - blobs (BatchPutMessage's payload) are base64 strings; a payload that is a JSON object is
 *     taken as the already-decoded payload;
 *   - members AWS binds to the URL path or query string (detectorModelName, keyValue, maxResults,
 *     nextToken, resourceArn, tagKeys, ...) are ordinary members of the request document;
 *   - members absent from an AWS response are absent here (never null);
 *   - a member given as JSON null counts as absent; an unknown member is an error.
 *
 * Consumers must ignore response members they do not know: later versions may add some.
 */
#ifndef IOTEVENTS_H
#define IOTEVENTS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define IOTEVENTS_API __attribute__((visibility("default")))
#else
#define IOTEVENTS_API
#endif

/* ---------------------------------------------------------------------------------------------
 * Versions
 * ------------------------------------------------------------------------------------------- */

/* The version of this header. Compare with iotevents_version_number() to detect a header/library
 * mismatch at run time. IOTEVENTS_VERSION_NUMBER = MAJOR * 1000000 + MINOR * 1000 + PATCH. */
#define IOTEVENTS_VERSION_MAJOR 0
#define IOTEVENTS_VERSION_MINOR 1
#define IOTEVENTS_VERSION_PATCH 0
#define IOTEVENTS_VERSION_STRING "0.1.0"
#define IOTEVENTS_VERSION_NUMBER (IOTEVENTS_VERSION_MAJOR * 1000000 + IOTEVENTS_VERSION_MINOR * 1000 + IOTEVENTS_VERSION_PATCH)

/* The version of the library actually loaded, as IOTEVENTS_VERSION_NUMBER computes it.
 * Any thread, any time. */
IOTEVENTS_API int iotevents_version_number(void);

/* The version of the library actually loaded ("0.1.0"). Static storage: never free it. */
IOTEVENTS_API const char *iotevents_version_string(void);

/* ---------------------------------------------------------------------------------------------
 * Status codes. The values are part of the ABI and never change.
 * ------------------------------------------------------------------------------------------- */

typedef enum iotevents_status {
    IOTEVENTS_OK = 0,
    IOTEVENTS_INVALID_REQUEST = 1,          /* InvalidRequestException (HTTP 400 in AWS)        */
    IOTEVENTS_RESOURCE_NOT_FOUND = 2,       /* ResourceNotFoundException (404)                  */
    IOTEVENTS_RESOURCE_ALREADY_EXISTS = 3,  /* ResourceAlreadyExistsException (409)             */
    IOTEVENTS_RESOURCE_IN_USE = 4,          /* ResourceInUseException (409)                     */
    IOTEVENTS_LIMIT_EXCEEDED = 5,           /* LimitExceededException (410)                     */
    IOTEVENTS_THROTTLING = 6,               /* ThrottlingException (429)                        */
    IOTEVENTS_INTERNAL_FAILURE = 7,         /* InternalFailureException (500)                   */
    IOTEVENTS_SERVICE_UNAVAILABLE = 8,      /* ServiceUnavailableException (503)                */
    IOTEVENTS_UNSUPPORTED_OPERATION = 9     /* UnsupportedOperationException (501), also an
                                               unknown operation name                           */
} iotevents_status;

/* Static, human-readable text for a status code; an unknown code gets a generic text.
 * Never NULL, never free it. Any thread. */
IOTEVENTS_API const char *iotevents_strerror(int status);

/* ---------------------------------------------------------------------------------------------
 * Error documents
 *
 * Every failure is described by a JSON document of the AWS error shape:
 *
 *     {"__type": "InvalidRequestException", "message": "Value at 'inputName' failed to ..."}
 *
 * __type is the exception name of the status code; message says what was wrong and names the
 * member or path. ResourceAlreadyExistsException adds "resourceId" and "resourceArn".
 * ------------------------------------------------------------------------------------------- */

/* ---------------------------------------------------------------------------------------------
 * Engines
 * ------------------------------------------------------------------------------------------- */

/* An engine: inputs, models, detectors, alarms, timers and a clock. Opaque. */
typedef struct iotevents_engine iotevents_engine;

/* Opens an engine.
 *
 * config_json: NULL, or a JSON object whose keys are all optional:
 *   "clock"            "system" (default) or "manual" (time moves only through iotevents_tick)
 *   "startTimeMillis"  integer >= 0, where the manual clock starts (default 0)
 *   "timerThread"      boolean, system clock only (default false): an internal thread sleeps
 *                      until the next deadline and fires due expiries itself, as iotevents_tick
 *                      would; action handlers are then also called from that thread. It fires
 *                      nothing before the host's first iotevents_set_action_handler, call or
 *                      tick on the engine, so that the actions of expiries already due in a
 *                      reopened stateDirectory reach the handler the host sets after opening
 *   "stateDirectory"   string: a directory (created, mode 0700, if missing) that holds the
 *                      engine's state durably; see "Durable state" below. Absent: in memory only
 *   "durability"       "always" (default) or "groupCommit"; stateDirectory only
 *   "groupCommitMillis"  integer 1..60000 (default 50): groupCommit's longest wait for a sync
 *   "snapshotLogBytes" integer >= 4096 (default 4194304): the log size that triggers a snapshot
 *   "inputProjection"  "payload" (default): $input.X.path reads any path of the message, as
 *                      AWS did; "declared": only the input's declared attributes and what
 *                      lies under them. Routing and DescribeInput are the same either way
 *   "alarmNotifications"    "acknowledgeFlow" (default): alarm notifications are sent on state
 *                      changes of alarms whose acknowledge flow is enabled (as AWS documented);
 *                      "always": on every state change
 *   "alarmRejectedActions"  "error" (default) or "ignore": what an operator action the alarm's
 *                      state does not allow gives (an error entry, or nothing)
 *   "region"           string used in ARNs (default "us-east-1")
 *   "accountId"        12-digit string used in ARNs (default "123456789012")
 *   "limits"           object of quota overrides, each an integer: maxMessagesPerBatch (10),
 *                      maxAlarmRequestsPerBatch (10), maxPayloadBytes (1024),
 *                      maxBatchPayloadBytes (0 = off), minTimerSeconds (60),
 *                      maxTimerSeconds (31622400), maxTimersPerDetector (5),
 *                      maxVariablesPerUpdate (10), maxDetectorsPerModel (100000),
 *                      maxAlarmsPerModel (100000), maxDetectorModels (50), maxAlarmModels (50),
 *                      maxInputs (50), maxModelsPerInput (10), maxVersionsPerModel (500),
 *                      maxStatesPerModel (20), maxEventsPerList (20), maxActionsPerEvent (10),
 *                      maxVariablesPerModel (50), dedupWindowSeconds (300), maxLoopbackDepth (8),
 *                      maxRequestBytes (1048576), maxJsonDepth (64), maxExpressionDepth (64),
 *                      maxValueChars (1024), maxEvaluationsPerCall (1000),
 *                      maxContentExpressionBytes (1024), maxDefinitionBytes (524288),
 *                      maxDedupEntries (1000000), maxAnalyses (100)
 * An unknown key, a wrong type or a value out of range is an error.
 *
 * Limits that keep a valid model from exhausting the host:
 *   maxValueChars      a String longer than this many characters (Unicode scalars) is never
 *                      stored or sent: a setVariable whose value is longer fails like an
 *                      Undefined result (the variable keeps its value), an action whose
 *                      evaluated parameter is longer is not executed (its document carries
 *                      "error"); both are counted as failed actions. AWS's data API caps a variable's value at 1024. Expressions
 *                      never build a String beyond max(4 x maxValueChars, maxPayloadBytes)
 *                      bytes on the way (a longer `+` or template result is Undefined), so a
 *                      model that doubles or appends to a String costs O(limit) per message.
 *   maxEvaluationsPerCall  detector and alarm evaluations one call may run, loop-backs
 *                      included (depth alone does not bound fan-out: F iotEvents actions per
 *                      level run F + F^2 + ... + F^8). A loop-back message that would take the
 *                      call past it is not delivered: its action document carries "error"
 *                      naming the limit, and the call answers normally for what it did. The
 *                      call's own messages always run. Due expiries fire (before the call's
 *                      messages, in due order) only while the call has run fewer evaluations
 *                      than the limit; the others stay due and fire at the next tick or call
 *                      (see iotevents_tick), so a clock far ahead of a short periodic timer
 *                      is caught up in steps instead of in one call that might never end.
 *   maxContentExpressionBytes, maxDefinitionBytes  AWS's model quotas: a payload's
 *                      contentExpression (UTF-8 bytes) and a detector model definition (its
 *                      compact JSON text), checked by Create/UpdateDetectorModel and
 *                      Create/UpdateAlarmModel; beyond them InvalidRequestException names the
 *                      member and the limit.
 *   maxDedupEntries    message ids the de-duplication window remembers (about 100 bytes each).
 *                      Past it the oldest are forgotten first, even inside dedupWindowSeconds:
 *                      memory stays bounded at any message rate and with a manual clock that
 *                      never moves, at the price that a duplicate older than the last
 *                      maxDedupEntries accepted ids is processed again.
 *   maxAnalyses        detector model analyses kept for DescribeDetectorModelAnalysis and
 *                      GetDetectorModelAnalysisResults; past it the oldest are forgotten first.
 *
 * Returns the engine, or NULL on failure. error_json: when not NULL, *error_json is set to NULL
 * on success and to an error document on failure (InvalidRequestException for a bad
 * configuration; with a stateDirectory, ResourceInUseException when another engine has the
 * directory open and InternalFailureException when it cannot be read or is damaged); the
 * caller frees it with iotevents_free.
 * Any thread. The engine belongs to the caller until iotevents_close.
 *
 * Durable state (stateDirectory):
 *   Everything persists: inputs, every version of every model, detectors (state, variables,
 *   timers with their remembered durations, retained input values), alarms (state, alarmState
 *   records, snoozes), the messageId de-duplication window, tags, logging options and the
 *   manual clock. Once a call has returned success its effects survive iotevents_close and a
 *   reopen, and survive the process being killed at any instant; a call that had not returned
 *   has either happened entirely or not at all, never half a batch. Failed calls change
 *   nothing (but see a record that cannot be written, below).
 *   How: each state-changing call runs at one instant and, once it has completed in memory
 *   and before it returns, is appended with that instant to a write-ahead log (<dir>/log, a
 *   checksum per record); a clock step that fires expiries is logged the same way. A call
 *   that failed is not logged. "always" syncs the record (fdatasync) before the call returns.
 *   "groupCommit" returns once the record is written and syncs within groupCommitMillis: a
 *   killed process still loses nothing, a power loss may lose the calls of the last window.
 *   When the log reaches snapshotLogBytes (and on iotevents_close) the whole state is written
 *   to <dir>/snapshot (a temporary file, synced, renamed over the old one) and the log starts
 *   empty, so the directory stays about the size of the state. Opening replays the log on the
 *   snapshot, each record at the instant it first ran (so every deadline it set is kept),
 *   without calling the action handler for what is replayed, except as follows. With the
 *   system clock, expiries that fell due while the process was down fire, in due order, at
 *   the first iotevents_tick (or message) after opening, or by the timer thread once the host
 *   first uses the engine.
 *   Actions are delivered at least once: once the handler has returned for every action of a
 *   logged call or tick (or they were dropped, no handler being set), a delivery marker naming
 *   it is appended to the log, not synced. Opening collects the actions of every logged call
 *   and tick no marker names -- the process was killed after the call was logged and before
 *   or while its actions were handed over -- and the first iotevents_set_action_handler that
 *   sets a handler after opening hands them to it before it returns: on its thread, in the
 *   order they were first produced (before any later action), each document byte for byte as
 *   first written (the replay is deterministic: the same eventTime and, in default payloads,
 *   the same actionExecutionId, by which a host can drop a duplicate). Every action handed
 *   over on the thread of iotevents_set_action_handler while it runs is such a redelivery
 *   (but for the actions of calls the handler itself makes). Some may have reached the
 *   handler before the crash (a duplicate); none is lost. Until a handler is set they stay
 *   with the engine, across closes and snapshots (a snapshot keeps the actions not confirmed
 *   when it is taken, those being handed over at that moment included). After a clean
 *   iotevents_close nothing is redelivered: every call had returned, its marker written. Set
 *   the handler before other threads use a reopened engine: a call made meanwhile on another
 *   thread may have its actions handed over before the redelivery ends (the timer thread
 *   fires nothing until it has ended). Returning from the handler counts as delivery: a
 *   handler that cannot keep an action should end the process instead (the action is then
 *   handed over again after the next open). A power loss (not a crash) can still cost
 *   actions: the unsynced marker can reach the disk (a later call's sync carries it) before
 *   what the handler did with them, unless the handler made that durable before returning.
 *   A log written before delivery markers existed (log format 2) redelivers nothing.
 *   A record that cannot be written (disk full, I/O error): the call answers
 *   InternalFailureException and is not durable (its actions are not delivered), and the
 *   engine refuses every later state-changing call (InternalFailureException) and
 *   state-changing tick (-IOTEVENTS_INTERNAL_FAILURE) until it is closed and reopened, which
 *   rebuilds it from the log; reads still answer, and may show that last call until then.
 *   The same refusal follows a snapshot written when the next log could not be started.
 *   A torn last log record (a crash during its write) is dropped on open; any other damage (a
 *   checksum mismatch before the last record, a missing snapshot, a log deleted, emptied or
 *   zero-filled, records missing at its start or in its middle or out of order -- every
 *   record carries its log's epoch and a sequence number -- a log older than its snapshot, a
 *   snapshot value out of range such as a detector's state index, a newer format version)
 *   makes iotevents_open fail with InternalFailureException naming the file and the problem
 *   -- never a silent reset. (A last record removed whole cannot be told from a call never
 *   made.) The log is always present once a directory has been opened: do not delete it. A
 *   logged call that fails when replayed fails the open too, naming the record (its number,
 *   byte offset and operation).
 *   One engine per directory: the directory itself is flock'ed while it is open (a lock no
 *   stale-lock cleaner can unlink). Open a directory with the configuration (limits,
 *   projection) it was written with: replayed calls are checked against the limits in force.
 *   Only state-changing calls write to the disk. */
IOTEVENTS_API iotevents_engine *iotevents_open(const char *config_json, char **error_json);

/* Closes an engine and frees everything it holds. NULL is a no-op. No other call on the same
 * engine may be running or start afterwards: the handle is invalid once this returns. */
IOTEVENTS_API void iotevents_close(iotevents_engine *engine);

/* ---------------------------------------------------------------------------------------------
 * Calls
 * ------------------------------------------------------------------------------------------- */

/* Runs one API operation, named by its AWS operation name ("CreateInput", "BatchPutMessage").
 *
 * request_json: the request document, a JSON object (NUL-terminated UTF-8; at most
 * limits.maxRequestBytes bytes and limits.maxJsonDepth levels deep).
 *
 * Returns IOTEVENTS_OK or a positive iotevents_status. When response_json is not NULL,
 * *response_json is always set: to the response document on success, to an error document on
 * failure. The caller frees it with iotevents_free. When response_json is NULL the document is
 * discarded.
 *
 * Errors: a NULL engine, a NULL or malformed request, a wrong JSON type, a missing required
 * member, an unknown member, or a constraint of the service model violated:
 * IOTEVENTS_INVALID_REQUEST. A NULL or unknown operation name: IOTEVENTS_INVALID_REQUEST (NULL)
 * or IOTEVENTS_UNSUPPORTED_OPERATION (unknown). No input makes the library abort the process.
 * A call that fails changes nothing.
 *
 * Threads: any thread; one engine may be shared by any number of threads. Calls on it are
 * serialised by the engine's lock (parsing and validation run before it is taken): the results
 * are those of some serial order of the calls, each call atomic. Per detector and per alarm,
 * triggers (messages, expiries, operator actions) are processed one at a time in the order the
 * engine received them. Action handlers are never called with the lock held.
 * Calls are synchronous: when this returns, everything the call caused has been processed. */
IOTEVENTS_API int iotevents_call(iotevents_engine *engine, const char *operation,
                                 const char *request_json, char **response_json);

/* One named entry point per operation, with exactly the contract of iotevents_call and the
 * operation fixed. The name is the operation's name in snake_case.
 *
 * Implemented in this version: every operation of both services, and the engine extension
 * BatchPutAssetPropertyValue (below).
 *
 * Detector model analysis: StartDetectorModelAnalysis decodes detectorModelDefinition as
 * CreateDetectorModel does (a bad member is IOTEVENTS_INVALID_REQUEST naming it), creates no
 * model, analyses it at once against the engine's inputs and limits, and answers an analysisId.
 * What CreateDetectorModel would refuse (structure, expressions, unknown inputs, quotas) is an
 * ERROR result, not an error. DescribeDetectorModelAnalysis answers "RUNNING" the first time it
 * is asked about an analysis and "COMPLETE" every later time (the sequence a client polling AWS
 * saw; never "FAILED": an analysis that started cannot fail). GetDetectorModelAnalysisResults
 * pages the results (type, level, message, locations[].path into the definition) with
 * maxResults / nextToken, and may be called at once. An analysis is kept for 24 hours of the
 * engine's clock after it started, as AWS kept results, and at most limits.maxAnalyses are
 * kept, the oldest forgotten first. With stateDirectory they are durable state:
 * StartDetectorModelAnalysis is logged (replayed, it runs the same analysis under the same id)
 * and snapshots hold the analyses kept, so another process opening the directory reads them (a
 * Describe after the reopen may answer "RUNNING" once more). An unknown, forgotten or expired
 * analysisId is IOTEVENTS_RESOURCE_NOT_FOUND.
 *
 * BatchPutMessage processes its messages in request order before it returns: for each, every
 * timer due at or before the current time fires first, then the message runs through every
 * detector model that reads its input, then the messages its iotEvents actions loop back (at most
 * limits.maxLoopbackDepth deep). A message that cannot be processed becomes an entry of
 * BatchPutMessageErrorEntries; the others are applied. A messageId accepted in the last
 * limits.dedupWindowSeconds is ignored (engine-wide). Alarm models that read the input see the
 * message after the detector models.
 *
 * The alarm batches (BatchAcknowledgeAlarm, BatchDisableAlarm, BatchEnableAlarm, BatchResetAlarm,
 * BatchSnoozeAlarm) answer {} when every request applied, else {"errorEntries": [...]}: an unknown
 * alarm is ResourceNotFoundException; an action the alarm's state does not allow (acknowledging a
 * NORMAL alarm, say) is InvalidRequestException naming the state, unless the configuration says
 * "alarmRejectedActions": "ignore".
 *
 * SiteWise-sourced alarm models: an alarm model whose rule reads
 * $sitewise.assetModel.`<assetModelId>`.`<propertyId>`.propertyValue.value (inputProperty and/or
 * threshold), as the AWS IoT SiteWise user guide writes them, is accepted, described, listed,
 * updated and deleted like any other. It reads no input and takes no "key": its alarms are keyed
 * by asset id (DescribeAlarm, ListAlarms and the alarm batches take the asset id as "keyValue").
 * A model reads inputs or SiteWise properties, never both. References in its actions and
 * notifications may also read .propertyValue.quality, .propertyValue.timestamp.timeInSeconds,
 * .propertyValue.timestamp.offsetInNanos and .assetId (the alarm's asset); a notification field
 * whose whole text is such a reference is replaced by its value. An iotSiteWise alarm action
 * without propertyValue writes the alarm state, serialised as SiteWise stores it
 * ({"stateName":"Active","ruleEvaluation":{"simpleRule":{...,"operator":">",...}},...}), as a
 * string value at the event time. An action or notification whose reference has no value yet is
 * reported with "error" and not executed. ListInputRoutings with an iotSiteWiseInputIdentifier
 * lists the alarm models whose references name that asset model's property.
 *
 * BatchPutAssetPropertyValue (engine extension, service "iotevents-data" in the bindings) takes and
 * answers AWS IoT SiteWise's shapes of that name: {"entries": [{"entryId", "assetId",
 * "propertyId", "propertyAlias", "propertyValues": [{"value": {"stringValue" | "integerValue" |
 * "doubleValue" | "booleanValue"}, "timestamp": {"timeInSeconds", "offsetInNanos"}, "quality"}]}]}
 * -> {"errorEntries": [{"entryId", "errors": [{"errorCode", "errorMessage", "timestamps"}]}]}
 * (errorEntries is [] when every value applied). At most 10 entries of at most 10 values; entry
 * ids unique; each value sets exactly one member (otherwise the whole call fails with
 * InvalidRequestException). Entries apply in order, the values of an entry in order: each value
 * evaluates, at its timestamp, the alarm of the entry's assetId (created on first use) of every
 * alarm model whose references name the entry's propertyId, and the alarm keeps it, so a
 * threshold sent once serves every later value. Error entries: an entry with propertyAlias only
 * or without assetId (InvalidRequestException), a property no alarm model reads
 * (ResourceNotFoundException), too many alarms (LimitExceededException), a timestamp beyond the
 * engine's millisecond range (TimestampOutOfRangeException). Expiries due by now fire first.
 *
 * List operations take "maxResults" (1..250, default 250) and "nextToken"; a response carries
 * "nextToken" only when more results follow. A token is a cursor: it stays valid while
 * resources come and go, and a token the list did not issue is InvalidRequestException. */

/* Control plane (service "iotevents"). */
IOTEVENTS_API int iotevents_create_alarm_model(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_create_detector_model(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_create_input(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_delete_alarm_model(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_delete_detector_model(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_delete_input(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_describe_alarm_model(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_describe_detector_model(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_describe_detector_model_analysis(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_describe_input(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_describe_logging_options(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_get_detector_model_analysis_results(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_list_alarm_model_versions(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_list_alarm_models(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_list_detector_model_versions(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_list_detector_models(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_list_input_routings(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_list_inputs(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_list_tags_for_resource(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_put_logging_options(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_start_detector_model_analysis(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_tag_resource(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_untag_resource(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_update_alarm_model(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_update_detector_model(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_update_input(iotevents_engine *engine, const char *request_json, char **response_json);

/* Data plane (service "iotevents-data"). */
IOTEVENTS_API int iotevents_batch_acknowledge_alarm(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_batch_delete_detector(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_batch_disable_alarm(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_batch_enable_alarm(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_batch_put_message(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_batch_reset_alarm(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_batch_snooze_alarm(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_batch_update_detector(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_describe_alarm(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_describe_detector(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_list_alarms(iotevents_engine *engine, const char *request_json, char **response_json);
IOTEVENTS_API int iotevents_list_detectors(iotevents_engine *engine, const char *request_json, char **response_json);

/* Engine extension (AWS IoT SiteWise's shapes; see above). */
IOTEVENTS_API int iotevents_batch_put_asset_property_value(iotevents_engine *engine, const char *request_json, char **response_json);

/* ---------------------------------------------------------------------------------------------
 * Time
 * ------------------------------------------------------------------------------------------- */

/* Moves the engine clock to now_millis (epoch milliseconds; a negative value means "now": the
 * system clock's time, or the manual clock's current time) and processes, in due order, the
 * timer expiries and alarm snooze expiries due at or before it, until the tick has run
 * limits.maxEvaluationsPerCall evaluations. Expiries beyond that stay due: they fire at the next
 * tick or call, and meanwhile iotevents_next_deadline returns a time at or before the clock. A
 * timer re-armed by its own expiry is due one period after its due time, so a clock moved far
 * ahead (the manual clock, or the system clock after downtime) may have many expiries due, and
 * at the end of time more than any call could run: a host that wants them all ticks again while
 * iotevents_next_deadline is at or before now; the timer thread does. The clock never moves
 * backwards.
 * Any time up to INT64_MAX is valid: a deadline beyond the 64-bit range (a timer set at the
 * end of time) saturates at INT64_MAX instead of overflowing, and a deadline of INT64_MAX is
 * never due (not even at INT64_MAX: a timer re-armed by its own expiry would fire forever).
 * Returns the number of expiries processed, or -IOTEVENTS_INVALID_REQUEST for a NULL engine, or
 * -IOTEVENTS_INTERNAL_FAILURE for a durable engine (stateDirectory) whose log could not take
 * the step's record, or that refuses state changes since an earlier record could not be written
 * (see "Durable state"): nothing fired is then durable. A tick that changes nothing returns 0.
 * Any thread; synchronous like iotevents_call. */
IOTEVENTS_API int64_t iotevents_tick(iotevents_engine *engine, int64_t now_millis);

/* Epoch milliseconds of the earliest pending expiry, or -1 when none, so that a host can sleep
 * exactly that long. INT64_MIN for a NULL engine (-IOTEVENTS_INVALID_REQUEST would be -1, the
 * same as "none"). Any thread. */
IOTEVENTS_API int64_t iotevents_next_deadline(iotevents_engine *engine);

/* ---------------------------------------------------------------------------------------------
 * Snapshots: the whole state as text, for a host that keeps state elsewhere (an object store,
 * a replicated log with periodic snapshots); stateDirectory is the built-in alternative.
 * ------------------------------------------------------------------------------------------- */

/* Writes a consistent snapshot of the engine's whole state to *snapshot_out: one line of
 * base64 text (no NUL inside, no whitespace). Taken under the engine's lock, so it is the state
 * between two calls, never half of one. It holds what a stateDirectory's snapshot holds:
 * inputs, every version of every model, detectors (state, variables, timers with their due
 * times, retained input values), alarms (state, snoozes), the messageId de-duplication window,
 * tags, logging options, the clock's last reading and the counters that make actionExecutionId
 * and loop-back message ids, so a restored engine given the same later calls and ticks answers
 * and acts (the same action documents, the same actionExecutionIds, timers due at the same
 * instants) exactly as this one would have, and the detector model analyses still kept. Not
 * included: the configuration (the restoring engine's applies), the action and log handlers,
 * the timer thread, the counters of iotevents_counters (they count this engine's own work).
 * Format: base64 of "IOTEVSTX", a format version (now 1), the body's length, a CRC-32C and the
 * body; a library reads every version up to its own and refuses newer ones. The text is
 * opaque: compare snapshots by the state they restore, not by their text.
 * Returns IOTEVENTS_OK, or a positive status (IOTEVENTS_INVALID_REQUEST for a NULL engine,
 * IOTEVENTS_INTERNAL_FAILURE out of memory). When snapshot_out is not NULL, *snapshot_out is
 * always set: to the snapshot on success, to an error document on failure; the caller frees it
 * with iotevents_free. Any thread; calls on the engine wait for it (it is O(state)). */
IOTEVENTS_API int iotevents_snapshot(iotevents_engine *engine, char **snapshot_out);

/* Replaces the engine's whole state with that of a snapshot iotevents_snapshot wrote (on this
 * or another engine, this or an older library version). The snapshot's models are compiled again
 * under this engine's configuration (its limits): a model they refuse fails the restore, named.
 * The clock takes the snapshot's last reading (a manual clock moves, backwards too, to it; the
 * system clock reads max(wall clock, that reading)); due expiries fire at the next tick or call.
 * Not on an engine with a stateDirectory (IOTEVENTS_INVALID_REQUEST: its directory would no
 * longer hold its state); open such an engine from its directory instead.
 * Errors, all IOTEVENTS_INVALID_REQUEST with a message saying what is wrong, and the engine's
 * state untouched: a NULL engine or snapshot, text that is not base64, a snapshot cut short or
 * damaged (header, length or checksum), a newer format version, a value out of range, a model
 * this configuration refuses. No input crashes the host. error_json: when not NULL, set to NULL
 * on success and to an error document on failure (free it with iotevents_free).
 * Any thread: the state is replaced at once between two calls (decoding runs before the lock).
 * Actions are not re-run: the handler sees only what later calls and ticks cause. */
IOTEVENTS_API int iotevents_restore(iotevents_engine *engine, const char *snapshot, char **error_json);

/* ---------------------------------------------------------------------------------------------
 * Actions
 * ------------------------------------------------------------------------------------------- */

/* Receives one action document (JSON) per executed external action, and per iotEvents action:
 *   {"type": "sns" | "iotTopicPublish" | "lambda" | "sqs" | "firehose" | "dynamoDB" |
 *            "dynamoDBv2" | "iotSiteWise" | "iotEvents" | "alarmNotification",
 *    "action": the model's action parameters, expression-valued ones evaluated (for an
 *              alarmNotification: the model's NotificationAction object as configured),
 *    "payload": the payload text (default payload or evaluated contentExpression; for an
 *               alarmNotification the notification document), "payloadType",
 *    "source": {"detectorModelName", "detectorModelVersion", "keyValue" (keyed models),
 *               "stateName", "eventName"} -- for alarm actions {"alarmModelName",
 *               "alarmModelVersion", "keyValue", "stateName" (the alarm's new state)},
 *    "eventTime": epoch milliseconds of the evaluation,
 *    "error": present only when the action was not carried out, and why: an iotEvents message
 *             that was not delivered (maxLoopbackDepth, maxEvaluationsPerCall, no such
 *             input), or an action that was not executed because a parameter or its
 *             contentExpression did not evaluate ("not executed: mqttTopic gave Undefined";
 *             "action" then holds the parameters evaluated before it, "payload" is "")}
 * The host forwards it wherever it likes (the library never talks to a network); it applies
 * useBase64 (sqs) or separator (firehose) itself, and must not forward a document that carries
 * "error". AWS skipped such actions and only logged them; here every action a model reached is
 * reported, so a host can log or count them. action_json is valid only during the call. payload
 * is the pointer given to iotevents_set_action_handler. */
typedef void (*iotevents_action_fn)(const char *action_json, void *payload);

/* Sets the engine's action handler; fn == NULL removes it (actions are then dropped).
 * Handlers run on the thread that made the call that caused the action (the timer thread for
 * expiries it fires), after the engine's lock is released, in execution order; a handler may
 * call back into the engine, but must not close it. Any thread.
 * With a stateDirectory, the first call that sets a handler (fn != NULL) after iotevents_open
 * first hands it, on the calling thread and before returning, the actions of logged calls and
 * ticks that a killed process had not finished handing over (at least once, in their original
 * order; "Durable state" under iotevents_open). Returning from an action counts as its
 * delivery: a handler that cannot keep one should end the process instead of returning, and
 * the action is handed over again after the next open. */
IOTEVENTS_API void iotevents_set_action_handler(iotevents_engine *engine, iotevents_action_fn fn,
                                                void *payload);

/* ---------------------------------------------------------------------------------------------
 * Logging and counters
 * ------------------------------------------------------------------------------------------- */

/* Receives one log record (JSON) per thing the engine did that the logging options ask for.
 * PutLoggingOptions decides what is written ({"loggingOptions": {"roleArn", "level", "enabled",
 * "detectorDebugOptions"}}; roleArn is kept, not used). Nothing is written while no log handler
 * is set or "enabled" is false (the default: no options at all), so logging costs nothing
 * until both are given. Levels, each including the ones before:
 *   ERROR  runtime errors: an action not executed or a loop-back message not delivered
 *          ("actionFailed": a setVariable whose value was Undefined or Null, a setTimer whose
 *          duration was not a number of seconds within the limits, a parameter or payload that
 *          did not evaluate, a limit such as maxTimersPerDetector, maxLoopbackDepth,
 *          maxEvaluationsPerCall or maxValueChars), and every per-entry error of a call
 *          ("requestRefused": a message for an input that does not exist, a key missing from a
 *          payload, maxDetectorsPerModel reached, an alarm action not allowed in the alarm's
 *          state);
 *   INFO   also detector transitions ("transition") and alarm state changes ("alarmStateChanged");
 *   DEBUG  also, per evaluation: a timer's expiry ("timerFired"), every action run
 *          ("actionExecuted", including setTimer/resetTimer/clearTimer with the deadline),
 *          skipped ("actionSkipped": resetTimer of a timer never set), every variable set
 *          ("variableSet"), repeated message ids ("duplicateMessage"), an alarm rule's values
 *          ("ruleEvaluated", with resultDetails when a side is not a number), and a closing
 *          "evaluationSummary" in the shape of AWS's CloudWatch DEBUG entries: "logMessage":
 *          "Summary of message evaluation" (or "... timer evaluation"), "context", "status",
 *          "initialState", "initialVariables", "finalState", "finalVariables" and
 *          "conditionEvaluationResults": [{"result": "True" | "False" | "Undefined" |
 *          "Skipped", "eventName", "state", "lifeCycle": "OnEnter" | "OnInput" | "OnExit",
 *          "hasTransition", "condition" (as text), "resultDetails"}]. resultDetails says why a
 *          condition was not true: the first reference without a value ("$input.T.temp is
 *          Undefined: the last message on T did not have it", "... the input T does not declare
 *          it", "$variable.n has no value"), or the first operation that gave none ("> cannot
 *          compare a String (\"20\") with an Integer (10)", "division by zero"), or a result
 *          that was not a Boolean; transitions after the one taken are "Skipped".
 * detectorDebugOptions: only the listed detector models (and, when keyValue is given, only that
 * detector) log at "level"; every other detector and alarm logs at ERROR. Without it, all log
 * at "level". Records tied to no detector (requestRefused, duplicateMessage) follow "level".
 * Options take effect at once (AWS took up to a minute) and are durable with stateDirectory.
 * Every record: {"timestamp": ISO 8601 UTC with milliseconds, "time": epoch ms (the engine
 * clock's time of the evaluation), "level": "ERROR" | "INFO" | "DEBUG", "event": one of the
 * names above, "logMessage": a sentence}; records about an instance add "detectorModelName",
 * "detectorModelVersion" (or "alarmModelName", "alarmModelVersion"), "keyValue" (keyed
 * models), "stateName" (the state at the time), "eventName" (the event running), "trigger":
 * {"triggerType": "Message", "inputName", "messageId"} | {"triggerType": "Timer",
 * "timerName"} | {"triggerType": "AlarmAction", "action"} | {"triggerType": "SnoozeTimeout"};
 * then the members of the event ("fromState"/"toState", "actionType"/"failure"/"reason",
 * "variableName"/"value", "timerName"/"seconds"/"deadline", "errorCode"/"errorMessage", ...).
 * Records are written in the order things happened; new members may be added in later
 * versions. log_json is valid only during the call; payload is the pointer given to
 * iotevents_set_log_handler. */
typedef void (*iotevents_log_fn)(const char *log_json, void *payload);

/* Sets the engine's log handler; fn == NULL removes it, and the engine then writes no records.
 * Threads and re-entry as for the action handler: records are handed over on the thread that
 * made the call or tick (the timer thread for what it fires), after the engine's lock is
 * released, a call's records before its actions; a handler may call back into the engine (and
 * those calls' records are delivered in turn), but must not close it. Logged calls replayed
 * when a state directory is opened write no records. Any thread. */
IOTEVENTS_API void iotevents_set_log_handler(iotevents_engine *engine, iotevents_log_fn fn,
                                             void *payload);

/* Writes to *counters_json (owned by the caller, freed with iotevents_free) the engine's
 * counters since iotevents_open -- calls replayed from a state directory are not counted:
 *   {"messagesAccepted", "duplicateMessages" (BatchPutMessage messages, loop-backs excluded),
 *    "errorEntries": {"InvalidRequestException": n, ...} (per-entry errors of every call),
 *    "evaluations" (detector and alarm evaluations, loop-backs and timers included),
 *    "transitions" (detector transitions and alarm state changes),
 *    "actions": {"sns": n, ..., "alarmNotification": n} (executed, not counting failed ones),
 *    "failedActions": {"evaluation", "assignment", "timerDuration", "limit", "notDelivered"},
 *    "timersFired", "detectors" and "alarms": {"NORMAL": n, ...} (as they are now),
 *    "logRecords": {"ERROR", "INFO", "DEBUG"} (records written),
 *    "stateDirectory": {"logBytes", "snapshotBytes"} (only with a state directory)}.
 * Returns IOTEVENTS_OK, or IOTEVENTS_INVALID_REQUEST with an error document for a NULL engine;
 * counters_json may be NULL to discard the document. Any thread; it takes the engine lock
 * briefly (detectors and alarms are counted then, O(models + alarms)). */
IOTEVENTS_API int iotevents_counters(iotevents_engine *engine, char **counters_json);

/* ---------------------------------------------------------------------------------------------
 * Memory
 * ------------------------------------------------------------------------------------------- */

/* Frees a string the library returned (response and error documents). NULL is a no-op.
 * Any thread. */
IOTEVENTS_API void iotevents_free(void *p);

#ifdef __cplusplus
}
#endif

#endif /* IOTEVENTS_H */
