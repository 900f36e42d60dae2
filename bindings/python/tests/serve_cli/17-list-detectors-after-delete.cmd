iotevents-data list-detectors --detector-model-name motorDetectorModel
