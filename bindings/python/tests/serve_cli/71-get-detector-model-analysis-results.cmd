iotevents get-detector-model-analysis-results --analysis-id 00000000-0000-4000-8000-000000000001
