iotevents tag-resource --resource-arn arn:aws:iotevents:us-east-1:123456789012:input/BoilerPressure --tags key=plant,value=north key=line,value=2
