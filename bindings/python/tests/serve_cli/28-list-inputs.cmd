iotevents list-inputs
