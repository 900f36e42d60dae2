iotevents create-input --cli-input-json file://{here}/boiler-input.json
