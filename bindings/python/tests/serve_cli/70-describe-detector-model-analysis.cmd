iotevents describe-detector-model-analysis --analysis-id a1
