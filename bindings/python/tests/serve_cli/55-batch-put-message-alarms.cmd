iotevents-data batch-put-message --cli-input-json file://{here}/boiler-messages.json
