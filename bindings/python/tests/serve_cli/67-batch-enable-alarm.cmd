iotevents-data batch-enable-alarm --enable-action-requests '[{"requestId": "e1", "alarmModelName": "boilerOverpressure", "keyValue": "b2"}]'
