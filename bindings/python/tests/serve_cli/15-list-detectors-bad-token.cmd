iotevents-data list-detectors --detector-model-name motorDetectorModel --next-token 1156680306696e7075747300426f696c65725072657373757265
