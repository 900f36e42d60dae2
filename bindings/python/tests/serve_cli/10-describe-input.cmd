iotevents describe-input --input-name PressureInput
