iotevents describe-input --input-name file://no-such-file.txt
