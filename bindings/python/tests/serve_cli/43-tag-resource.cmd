iotevents tag-resource --cli-input-json file://{here}/tags.json
