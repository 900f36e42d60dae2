"""`iotevents serve --cluster`: what the HTTP server calls instead of an engine
(call_raw(operation, request_json) -> (status, response text)), answering the data API for the
whole cluster through queries.ClusterData, on an asyncio loop of its own (the HTTP server's
threads wait for it).

BatchPutMessage publishes each message to iotevents.in.<inputName>.<key> (with its messageId as
Nats-Msg-Id, so a client's retry is stored once) and answers once the stream has stored it: the
cluster applies it asynchronously (at-least-once, docs/cluster.md). The key is read from the
payload at the path the model bucket's models that read the input use as their "key"; an input
whose models use different keys, or none, cannot be partitioned and is an error entry. The
control plane (models) is `iotevents cluster put-model`, not this server."""
import asyncio
import base64
import json
import threading
from typing import Any, Dict, List, Optional, Set, Tuple

from . import models, names
from .queries import READS, ClusterData, ClusterError
from . import feed

#: How long the model bucket's keys are trusted before it is read again (seconds).
MODEL_CACHE_SECONDS = 5.0


class ClusterProxy:
    def __init__(self, servers: List[str], partitions: int = 16) -> None:
        self.servers = servers
        self.partitions = partitions
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="iotevents-cluster", daemon=True)
        self.thread.start()
        self.data: Optional[ClusterData] = None
        self.key_paths: Dict[str, Optional[str]] = {}
        self.key_paths_read = -1e9
        self.run(self.connect())

    def run(self, coroutine: Any, timeout: float = 60.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def connect(self) -> None:
        import nats
        self.nc = await nats.connect(servers=self.servers, max_reconnect_attempts=-1, reconnect_time_wait=0.5)
        self.js = self.nc.jetstream(timeout=10)
        self.model_bucket = await self.js.key_value(names.MODEL_BUCKET)
        self.data = ClusterData(self.nc, self.partitions)

    def close(self) -> None:
        try:
            self.run(self.nc.drain(), timeout=10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)

    def call_raw(self, operation: str, request_json: str) -> Tuple[int, Optional[str]]:
        try:
            request = json.loads(request_json)
            if operation == "BatchPutMessage":
                return 0, json.dumps(self.run(self.put_messages(request)))
            if operation in READS or operation in feed.CALLS:
                assert self.data is not None
                return 0, json.dumps(self.run(self.data.call(operation, request)))
            raise ClusterError(9, {"__type": "UnsupportedOperationException",
                                   "message": "%s is not served by iotevents serve --cluster: it answers the data API "
                                              "(models: iotevents cluster put-model)" % operation})
        except ClusterError as error:
            return error.status, json.dumps(error.document)

    async def key_path(self, input_name: str) -> Optional[str]:
        """The payload path of the key of the models that read `input_name` (None: no model reads
        it with a key); ClusterError when they disagree."""
        now = self.loop.time()
        if now - self.key_paths_read > MODEL_CACHE_SECONDS:
            self.key_paths = {}
            self.key_paths_read = now
            entries = await models.read_all(self.model_bucket)
            readers: Dict[str, Set[Any]] = {}
            for key, (_, value) in entries.items():
                if key.startswith("input."):
                    continue
                request = json.loads(value)
                text = json.dumps(request)
                for name in (k[len("input."):] for k in entries if k.startswith("input.")):
                    if "$input.%s." % name in text or 'currentInput(\\"%s\\")' % name in text:
                        readers.setdefault(name, set()).add(request.get("key"))
            for name, keys in readers.items():
                self.key_paths[name] = next(iter(keys)) if len(keys) == 1 else "\0ambiguous:" + ",".join(sorted(map(str, keys)))
        path = self.key_paths.get(input_name)
        if path is not None and path.startswith("\0ambiguous:"):
            raise ClusterError(1, {"__type": "InvalidRequestException",
                                   "message": "input %s is read by models keyed by different members (%s): the cluster "
                                              "partitions a message by one key" % (input_name, path[len("\0ambiguous:"):])})
        return path

    async def put_messages(self, request: Dict[str, Any]) -> Dict[str, Any]:
        errors: List[Dict[str, str]] = []
        publishing = []
        for message in request.get("messages", []):
            message_id = message.get("messageId", "")
            try:
                payload = message.get("payload")
                body = json.dumps(payload).encode() if isinstance(payload, dict) else base64.b64decode(payload or "")
                path = await self.key_path(message.get("inputName", ""))
                if path is None:
                    raise ValueError("no detector or alarm model with a key reads input %s" % message.get("inputName"))
                value: Any = json.loads(body)
                for part in path.split("."):
                    value = value.get(part) if isinstance(value, dict) else None
                key = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
                if not key or any(c in key for c in " .*>\t"):
                    raise ValueError("the key %s of the payload is %r, not a subject token" % (path, value))
                publishing.append(self.js.publish(names.ingest_subject(message["inputName"], key), body,
                                                  headers={"Nats-Msg-Id": message_id} if message_id else None))
            except ClusterError as error:
                errors.append({"messageId": message_id, "errorCode": "InvalidRequestException",
                               "errorMessage": str(error.document.get("message"))})
            except ValueError as error:
                errors.append({"messageId": message_id, "errorCode": "InvalidRequestException", "errorMessage": str(error)})
        results = await asyncio.gather(*publishing, return_exceptions=True)
        for result in results:
            if isinstance(result, Exception):
                errors.append({"messageId": "", "errorCode": "ServiceUnavailableException",
                               "errorMessage": "the stream did not store it: %r" % (result,)})
        return {"BatchPutMessageErrorEntries": errors}
