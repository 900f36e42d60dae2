"""The data API over the whole cluster, for a client connected to NATS.

Reads (DescribeDetector, ListDetectors, DescribeAlarm, ListAlarms) ask every partition by
request-reply (iotevents.rpc.<p>; the client does not know the server's hash of a key) and merge:
a Describe answers from the partition that has the detector, a List merges every partition's
full list, sorted by keyValue, and pages it with a cursor token (the last keyValue returned).
Writes (feed.CALLS: BatchUpdateDetector, BatchDeleteDetector and the alarm operator calls) are
split per entry and published through the stream to iotevents.in._call.<keyValue>, so each is
applied in order with its key's messages and survives a takeover; the call waits for every
entry's reply and merges their error entries."""
import asyncio
import base64
import json
from typing import Any, Dict, List, Optional, Tuple

from . import feed, names

READS = {"DescribeDetector": "detector", "DescribeAlarm": "alarm",
         "ListDetectors": "detectorSummaries", "ListAlarms": "alarmSummaries"}


class ClusterError(Exception):
    """An error document from the cluster: {"__type", "message"}."""

    def __init__(self, status: int, document: Dict[str, Any]) -> None:
        super().__init__("%s: %s" % (document.get("__type"), document.get("message")))
        self.status = status
        self.document = document


class ClusterData:
    def __init__(self, nc: Any, partitions: int = 16, timeout: float = 5.0) -> None:
        self.nc = nc
        self.js = nc.jetstream()
        self.partitions = partitions
        self.timeout = timeout

    async def call(self, operation: str, request: Dict[str, Any]) -> Dict[str, Any]:
        if operation in ("DescribeDetector", "DescribeAlarm"):
            return await self.describe(operation, request)
        if operation in ("ListDetectors", "ListAlarms"):
            return await self.list(operation, request)
        if operation in feed.CALLS:
            return await self.write(operation, request)
        raise ClusterError(9, {"__type": "UnsupportedOperationException",
                               "message": "%s is not answered by the cluster (reads: %s; writes: %s)"
                               % (operation, ", ".join(sorted(READS)), ", ".join(sorted(feed.CALLS)))})

    async def ask(self, partition: int, operation: str, request: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
        body = json.dumps({"operation": operation, "request": request}).encode("utf-8")
        try:
            reply = await self.nc.request(names.rpc_subject(partition), body, timeout=self.timeout)
        except Exception as error:
            raise ClusterError(8, {"__type": "ServiceUnavailableException",
                                   "message": "partition %d did not answer (%s): it may be moving to another "
                                              "worker; try again" % (partition, type(error).__name__)})
        document = json.loads(reply.data)
        return int(document["status"]), document["body"]

    async def ask_all(self, operation: str, request: Dict[str, Any]) -> List[Tuple[int, Dict[str, Any]]]:
        return list(await asyncio.gather(*[self.ask(p, operation, request) for p in range(self.partitions)]))

    async def describe(self, operation: str, request: Dict[str, Any]) -> Dict[str, Any]:
        answers = await self.ask_all(operation, request)
        for status, body in answers:
            if status == 0:
                return body
        for status, body in answers:
            if body.get("__type") != "ResourceNotFoundException":
                raise ClusterError(status, body)
        raise ClusterError(answers[0][0], answers[0][1])

    async def list(self, operation: str, request: Dict[str, Any]) -> Dict[str, Any]:
        member = READS[operation]
        wanted = dict(request)
        token = wanted.pop("nextToken", None)
        limit = wanted.pop("maxResults", 250)
        if not isinstance(limit, int) or not 1 <= limit <= 250:
            raise ClusterError(1, {"__type": "InvalidRequestException", "message": "maxResults: 1..250, not %r" % (limit,)})
        after = _cursor(token) if token is not None else None
        everything: List[Dict[str, Any]] = []
        found = False
        for partition in range(self.partitions):
            page_token: Optional[str] = None
            while True:
                page_request = dict(wanted, maxResults=250)
                if page_token:
                    page_request["nextToken"] = page_token
                status, body = await self.ask(partition, operation, page_request)
                if status != 0:
                    if body.get("__type") == "ResourceNotFoundException":
                        break
                    raise ClusterError(status, body)
                found = True
                everything.extend(body.get(member, []))
                page_token = body.get("nextToken")
                if not page_token:
                    break
        if not found:
            status, body = await self.ask(0, operation, wanted)
            raise ClusterError(status, body)
        everything.sort(key=lambda s: s.get("keyValue", ""))
        if after is not None:
            everything = [s for s in everything if s.get("keyValue", "") > after]
        page = everything[:limit]
        answer: Dict[str, Any] = {member: page}
        if len(everything) > limit:
            answer["nextToken"] = base64.urlsafe_b64encode(("k:" + page[-1].get("keyValue", "")).encode()).decode()
        return answer

    async def write(self, operation: str, request: Dict[str, Any]) -> Dict[str, Any]:
        member, errors_member = feed.CALLS[operation]
        entries = request.get(member)
        if not isinstance(entries, list) or not entries:
            raise ClusterError(1, {"__type": "InvalidRequestException", "message": "%s: a non-empty list" % member})
        for index, entry in enumerate(entries):
            key = entry.get("keyValue") if isinstance(entry, dict) else None
            if not isinstance(key, str) or not key or any(c in key for c in " .*>\t"):
                raise ClusterError(1, {"__type": "InvalidRequestException",
                                       "message": "%s[%d].keyValue: the cluster routes by key, and %r is not one a "
                                                  "subject token can hold" % (member, index, key)})
        inbox = self.nc.new_inbox()
        replies: "asyncio.Queue[Any]" = asyncio.Queue()
        subscription = await self.nc.subscribe(inbox, cb=replies.put)
        try:
            rest = {k: v for k, v in request.items() if k != member}
            for entry in entries:
                body = json.dumps({"operation": operation, "request": dict(rest, **{member: [entry]})}).encode("utf-8")
                await self.js.publish(names.ingest_subject(feed.CALL_INPUT, entry["keyValue"]), body,
                                      headers={names.REPLY_HEADER: inbox})
            merged: List[Dict[str, Any]] = []
            for _ in entries:
                try:
                    reply = await asyncio.wait_for(replies.get(), self.timeout * 4)
                except asyncio.TimeoutError:
                    raise ClusterError(8, {"__type": "ServiceUnavailableException",
                                           "message": "%s: the call is in the stream and will be applied, but its "
                                                      "partition did not answer within %.0f s" % (operation, self.timeout * 4)})
                document = json.loads(reply.data)
                if document["status"] != 0:
                    raise ClusterError(document["status"], document["body"])
                merged.extend(document["body"].get(errors_member, []))
        finally:
            await subscription.unsubscribe()
        if errors_member == "errorEntries":
            return {"errorEntries": merged} if merged else {}
        return {errors_member: merged}


def _cursor(token: Any) -> str:
    try:
        text = base64.urlsafe_b64decode(token.encode()).decode()
        if text.startswith("k:"):
            return text[2:]
    except Exception:
        pass
    raise ClusterError(1, {"__type": "InvalidRequestException", "message": "nextToken: not a token this list issued"})
