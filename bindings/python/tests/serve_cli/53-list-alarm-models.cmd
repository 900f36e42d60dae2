iotevents list-alarm-models
