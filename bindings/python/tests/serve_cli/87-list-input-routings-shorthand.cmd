iotevents list-input-routings --input-identifier iotEventsInputIdentifier={inputName=BoilerPressure}
