# iotevents cluster (issue 30; docs/cluster.md): a three-node nats-server cluster with JetStream
# and the Python workers on loopback, all started and stopped by Tests/cluster/run.py.
# check-cluster (in make test): 1 000 keys, 10 000 messages -- a worker kill -9'd and restarted,
# a NATS node stopped and restarted, then a fourth worker joining -- each compared with a
# single-engine run. check-cluster-long: the same at 10 000 keys, 100 000 messages.
.PHONY: check-cluster check-cluster-long bench-cluster

CLUSTER_RUN = sh Tests/cluster/run.sh $(LIB_standard)

check-cluster: $(LIB_standard) | deps-test
	$(CLUSTER_RUN) failover 1000 10000
	$(CLUSTER_RUN) rebalance 1000 10000

check-cluster-long: $(LIB_standard) | deps-test
	$(CLUSTER_RUN) failover 10000 100000
	$(CLUSTER_RUN) rebalance 10000 100000

# make bench's row: messages/s with 1, 2 and 3 workers; the takeover of a partition of 10 000 detectors.
bench-cluster: $(LIB_standard) | deps-test
	$(CLUSTER_RUN) bench 10000 30000
