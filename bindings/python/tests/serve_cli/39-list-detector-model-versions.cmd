iotevents list-detector-model-versions --detector-model-name motorDetectorModel
