iotevents delete-alarm-model --alarm-model-name boilerOverpressure
