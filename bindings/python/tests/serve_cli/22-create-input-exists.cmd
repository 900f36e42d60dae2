iotevents create-input --cli-input-json file://{here}/input.json
