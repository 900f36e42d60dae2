iotevents-data describe-alarm --alarm-model-name nothing --key-value b1
