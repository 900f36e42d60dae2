iotevents describe-alarm-model --alarm-model-name boilerOverpressure --alarm-model-version 1
