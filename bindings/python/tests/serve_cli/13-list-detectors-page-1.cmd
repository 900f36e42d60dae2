iotevents-data list-detectors --detector-model-name motorDetectorModel --max-results 1
