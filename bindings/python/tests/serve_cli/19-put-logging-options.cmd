iotevents put-logging-options --cli-input-json file://{here}/logging-options.json
