iotevents describe-detector-model --detector-model-name motorDetectorModel --detector-model-version 1
