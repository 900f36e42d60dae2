iotevents-data batch-snooze-alarm --snooze-action-requests requestId=s9,alarmModelName=boilerOverpressure,keyValue=b3,snoozeDuration=120
