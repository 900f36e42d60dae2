"""The intrinsic functions whose result CloudFormation computes rather than looks up: Fn::GetAZs,
Fn::Cidr, and the AWS::LanguageExtensions transform's Fn::Length and Fn::ToJsonString. Each
takes its argument already resolved and raises TemplateError naming the function."""
import ipaddress
import json
from typing import Any, List

from .cloudformation_errors import TemplateError

#: The zones Fn::GetAZs gives for a region: a fixed, documented list (the real one depends on the
#: account and on AWS, which an import cannot ask).
ZONE_LETTERS = ("a", "b", "c")


def get_azs(region: Any, current_region: str) -> List[str]:
    """Fn::GetAZs: an empty region means the template's own (AWS::Region)."""
    if not isinstance(region, str):
        raise TemplateError("Fn::GetAZs: expected a region name, got %r" % (region,))
    region = region or current_region
    return [region + letter for letter in ZONE_LETTERS]


def _whole_number(value: Any, what: str) -> int:
    # Templates give the counts as numbers or as text ("6"), as CloudFormation's own example does.
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TemplateError("Fn::Cidr: %s must be a whole number, got %r" % (what, value))
    try:
        return int(value)
    except ValueError:
        raise TemplateError("Fn::Cidr: %s must be a whole number, got %r" % (what, value)) from None


def cidr(argument: Any) -> List[str]:
    """Fn::Cidr [ipBlock, count, cidrBits]: the first `count` blocks of the ipBlock with
    `cidrBits` host bits each (a /24 with cidrBits 5 splits into /27s), in address order."""
    if not (isinstance(argument, list) and len(argument) == 3):
        raise TemplateError("Fn::Cidr: expected [ipBlock, count, cidrBits], got %r" % (argument,))
    if not isinstance(argument[0], str):
        raise TemplateError("Fn::Cidr: ipBlock must be a CIDR block such as 10.0.0.0/16, got %r" % (argument[0],))
    try:
        # Not strict: a block written with host bits set (10.0.0.1/16) is split from its network address.
        block = ipaddress.ip_network(argument[0], strict=False)
    except ValueError as error:
        raise TemplateError("Fn::Cidr: ipBlock %r: %s" % (argument[0], error)) from None
    count = _whole_number(argument[1], "count")
    bits = _whole_number(argument[2], "cidrBits")
    if not 1 <= count <= 256:
        raise TemplateError("Fn::Cidr: count must be between 1 and 256, got %d" % count)
    prefix = block.max_prefixlen - bits
    if bits < 0 or prefix < block.prefixlen:
        raise TemplateError("Fn::Cidr: cidrBits %d does not fit in %s (at most %d host bits)"
                            % (bits, block, block.max_prefixlen - block.prefixlen))
    available = 1 << (prefix - block.prefixlen)
    if count > available:
        raise TemplateError("Fn::Cidr: %s holds %d blocks of /%d, not %d" % (block, available, prefix, count))
    size = 1 << bits
    first = int(block.network_address)
    return [str(type(block)((first + i * size, prefix))) for i in range(count)]


def length(value: Any) -> int:
    """Fn::Length: the number of elements of a list (written, or given by another function)."""
    if not isinstance(value, list):
        raise TemplateError("Fn::Length: expected a list, got %r" % (value,))
    return len(value)


def to_json_string(value: Any) -> str:
    """Fn::ToJsonString: an object or list as compact JSON text, keys in the template's order."""
    if not isinstance(value, (dict, list)):
        raise TemplateError("Fn::ToJsonString: expected an object or a list, got %r" % (value,))
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
