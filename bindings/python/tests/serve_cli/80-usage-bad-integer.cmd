iotevents list-inputs --max-results abc
