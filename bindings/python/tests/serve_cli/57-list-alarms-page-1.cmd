iotevents-data list-alarms --alarm-model-name boilerOverpressure --max-results 2
