iotevents list-detector-models
