iotevents describe-logging-options
