iotevents delete-detector-model --detector-model-name motorDetectorModel
