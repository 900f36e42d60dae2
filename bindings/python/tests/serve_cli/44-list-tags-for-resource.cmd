iotevents list-tags-for-resource --resource-arn arn:aws:iotevents:us-east-1:123456789012:input/PressureInput
