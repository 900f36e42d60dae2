"""`iotevents cluster`: detectors partitioned by key over NATS JetStream (docs/cluster.md).

The stream is the log: messages published to iotevents.in.<inputName>.<key> are mapped by the
NATS server onto 16 (or N) partition subjects; each partition is owned by one worker at a time
through a lease in a key-value bucket and runs one engine fed by a durable consumer; the engine's
state goes to an object store with the stream sequence it covers, so a worker taking a partition
over restores it and replays the rest. Needs nats-py (`pip install iotevents[cluster]`).

One module per concept: names (subjects, buckets), settings, feed (one message into an engine),
actions (action documents out, with their de-duplication id), snapshots, models (the model
bucket), leases, partition (one partition's engine and consumer), worker, setup, cli."""
