iotevents list-alarm-model-versions --alarm-model-name boilerOverpressure
