iotevents tag-resource --resource-arn arn:aws:iotevents:us-east-1:123456789012:input/Nothing --tags '[{"key": "a", "value": "b"}]'
