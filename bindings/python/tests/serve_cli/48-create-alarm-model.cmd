iotevents create-alarm-model --cli-input-json file://{here}/alarm-model.json
