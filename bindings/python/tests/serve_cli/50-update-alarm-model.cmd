iotevents update-alarm-model --cli-input-json file://{here}/alarm-model-update.json --alarm-model-name boilerOverpressure
