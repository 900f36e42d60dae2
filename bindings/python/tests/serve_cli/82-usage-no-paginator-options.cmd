iotevents list-inputs --max-items 1
