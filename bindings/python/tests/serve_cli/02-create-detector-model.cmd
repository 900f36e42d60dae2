iotevents create-detector-model --cli-input-json file://{here}/model.json
