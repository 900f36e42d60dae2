iotevents describe-input --input-name Nothing
