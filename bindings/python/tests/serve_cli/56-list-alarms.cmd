iotevents-data list-alarms --alarm-model-name boilerOverpressure
