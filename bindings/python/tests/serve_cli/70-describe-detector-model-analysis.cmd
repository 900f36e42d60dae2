iotevents describe-detector-model-analysis --analysis-id 00000000-0000-4000-8000-000000000001
