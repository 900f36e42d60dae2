iotevents put-logging-options --logging-options roleArn=arn:aws:iam::123456789012:role/IoTEventsRole,level=ERROR,enabled=false
