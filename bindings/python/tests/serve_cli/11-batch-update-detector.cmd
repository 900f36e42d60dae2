iotevents-data batch-update-detector --cli-input-json file://{here}/batch-update-detector.json
