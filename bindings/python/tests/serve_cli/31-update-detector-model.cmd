iotevents update-detector-model --cli-input-json file://{here}/model-update.json --detector-model-name motorDetectorModel
