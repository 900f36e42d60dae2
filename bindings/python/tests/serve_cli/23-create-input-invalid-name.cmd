iotevents create-input --input-name "bad name" --input-definition '{"attributes": [{"jsonPath": "a"}]}'
