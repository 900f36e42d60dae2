iotevents delete-input --input-name PressureInput
