iotevents-data batch-snooze-alarm --snooze-action-requests '[{"requestId": "s1", "alarmModelName": "boilerOverpressure", "keyValue": "b3", "snoozeDuration": 120}]'
