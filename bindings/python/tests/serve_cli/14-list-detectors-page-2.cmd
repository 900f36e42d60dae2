iotevents-data list-detectors --detector-model-name motorDetectorModel --max-results 1 --next-token 1509fc6646465746563746f72732f6d6f746f724465746563746f724d6f64656c0046756c746f6e2d413332
