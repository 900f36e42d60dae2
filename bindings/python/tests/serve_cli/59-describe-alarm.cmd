iotevents-data describe-alarm --alarm-model-name boilerOverpressure --key-value b1
