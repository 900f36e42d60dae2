iotevents list-detector-model-versions --detector-model-name motorDetectorModel --max-results 1
