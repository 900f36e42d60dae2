iotevents describe-detector-model --detector-model-name motorDetectorModel
