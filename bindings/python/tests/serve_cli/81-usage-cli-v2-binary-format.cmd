iotevents-data batch-put-message --cli-binary-format raw-in-base64-out --cli-input-json file://{here}/messages-1.json
