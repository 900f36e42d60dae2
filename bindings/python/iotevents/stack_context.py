"""The pseudo-parameters a template is resolved with (`Ref AWS::Region`, ...): the stated default
context, changed by `iotevents import --region`, `--account-id` and `--stack-name`.

AWS::StackId is built from the others, as CloudFormation writes it
(arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id>), with the id a UUID derived
from that ARN's prefix (uuid5), not a random one: the same import gives the same requests."""
import re
import uuid
from typing import Dict

DEFAULT_CONTEXT: Dict[str, str] = {"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012",
                                   "AWS::Partition": "aws", "AWS::StackName": "iotevents-import",
                                   "AWS::URLSuffix": "amazonaws.com"}

#: What CloudFormation accepts as a stack name (a letter, then letters, digits and hyphens; 128 at most).
STACK_NAME = re.compile(r"[A-Za-z][-A-Za-z0-9]{0,127}")


def stack_id(context: Dict[str, str]) -> str:
    prefix = "arn:%s:cloudformation:%s:%s:stack/%s" % (
        context["AWS::Partition"], context["AWS::Region"], context["AWS::AccountId"], context["AWS::StackName"])
    return "%s/%s" % (prefix, uuid.uuid5(uuid.NAMESPACE_URL, prefix))


def complete(context: Dict[str, str]) -> Dict[str, str]:
    """The default context with `context`'s values over it, and AWS::StackId to match."""
    full = dict(DEFAULT_CONTEXT, **context)
    full["AWS::StackId"] = stack_id(full)
    return full
