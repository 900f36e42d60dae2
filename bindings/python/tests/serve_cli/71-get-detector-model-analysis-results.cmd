iotevents get-detector-model-analysis-results --analysis-id a1
