iotevents describe-alarm-model --alarm-model-name boilerOverpressure
