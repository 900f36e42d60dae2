iotevents-data batch-reset-alarm --reset-action-requests '[{"requestId": "r1", "alarmModelName": "boilerOverpressure", "keyValue": "b1"}]'
