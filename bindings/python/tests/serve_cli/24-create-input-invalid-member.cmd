iotevents create-input --input-name Empty --input-definition '{"attributes": []}'
