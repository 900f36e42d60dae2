iotevents list-inputs --max-results 1
