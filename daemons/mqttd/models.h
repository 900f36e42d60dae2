/* The models to load: JSON files in the API's request shapes (CreateInput, CreateDetectorModel,
 * CreateAlarmModel), named one by one or by a directory (its *.json files). Inputs are created
 * first, then detector models, then alarm models. */
#ifndef MQTTD_MODELS_H
#define MQTTD_MODELS_H
#include "iotevents.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct mqttd_models mqttd_models;

/* record_path: where the text of each file applied is kept across restarts
 * (<stateDirectory>/mqttd-models.json), or NULL (no state directory, or --check-config). */
mqttd_models *mqttd_models_new(const char *record_path);
void mqttd_models_free(mqttd_models *models);

/* Reads every file of paths and creates what the engine does not have yet. A resource the engine
 * already has (from its state directory) is kept as it is, unless its file's text differs from
 * the text last applied -- on a reload (reload true, SIGHUP) since this process read it, at
 * start since a daemon last applied it (the record file) -- and then the file is applied with
 * UpdateInput, UpdateDetectorModel or UpdateAlarmModel. A resource with no record (a state
 * directory a daemon before 2026-12-05 wrote) is kept at start. Returns false with one error
 * line ("<file>: ...") at the first failure; what was applied before it stays. */
bool mqttd_models_apply(mqttd_models *models, iotevents_engine *engine, char *const *paths, size_t path_count,
                        bool reload, char *error, size_t error_size);

#endif
