iotevents-data batch-put-message --cli-input-json file://{here}/messages-3.json
