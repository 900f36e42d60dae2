iotevents-data describe-detector --detector-model-name motorDetectorModel --key-value Fulton-A32
