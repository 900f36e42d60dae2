/* The models to load: JSON files in the API's request shapes (CreateInput, CreateDetectorModel,
 * CreateAlarmModel), named one by one or by a directory (its *.json files). Inputs are created
 * first, then detector models, then alarm models. */
#ifndef MQTTD_MODELS_H
#define MQTTD_MODELS_H
#include "iotevents.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct mqttd_models mqttd_models;

mqttd_models *mqttd_models_new(void);
void mqttd_models_free(mqttd_models *models);

/* Reads every file of paths and creates what the engine does not have yet. A resource the engine
 * already has (from its state directory) is kept as it is at start; on a reload (reload true,
 * SIGHUP) a file whose text changed since it was last read is applied with UpdateInput,
 * UpdateDetectorModel or UpdateAlarmModel. Returns false with one error line ("<file>: ...")
 * at the first failure; what was applied before it stays. */
bool mqttd_models_apply(mqttd_models *models, iotevents_engine *engine, char *const *paths, size_t path_count,
                        bool reload, char *error, size_t error_size);

#endif
