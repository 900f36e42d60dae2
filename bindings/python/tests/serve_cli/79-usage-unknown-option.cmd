iotevents describe-input --input-name BoilerPressure --bogus 1
