iotevents describe-input
