iotevents-data list-alarms --alarm-model-name boilerOverpressure --max-results 2 --next-token 1bda42478616c61726d732f626f696c65724f7665727072657373757265006232
