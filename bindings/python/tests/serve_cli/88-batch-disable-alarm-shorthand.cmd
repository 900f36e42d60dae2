iotevents-data batch-disable-alarm --disable-action-requests requestId=z1,alarmModelName=boilerOverpressure,keyValue=b1 requestId=z2,alarmModelName=boilerOverpressure,keyValue=b2
