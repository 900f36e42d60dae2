iotevents list-input-routings --input-identifier '{"iotEventsInputIdentifier": {"inputName": "PressureInput"}}'
