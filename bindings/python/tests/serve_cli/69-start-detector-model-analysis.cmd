iotevents start-detector-model-analysis --detector-model-definition file://{here}/analysis-definition.json
