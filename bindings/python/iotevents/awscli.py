"""AWS-CLI-shaped subcommands of `iotevents`: every operation of iotevents and iotevents-data,
made from botocore's service models at run time, run on the engine kept in `--state-directory`:

    iotevents describe-detector --detector-model-name X --key-value K --state-directory D
    iotevents create-input --cli-input-json file://input.json --state-directory D

They behave as the AWS CLI v1 (the one the AWS CLI steps of the tests record): a member is
`--kebab-case-name`; structures, lists and maps take JSON, a list also one word per item
(`--tag-keys a b`) and a structure the shorthand `key=a,value=b` (_shorthand); any value may be
file://PATH; booleans are `--x` / `--no-x`; blobs are given as their raw text and sent
base64-encoded; `--cli-input-json` (text or file://PATH) gives members the flags then override;
the request is checked as botocore checks it before sending (_param_validation); the response is
printed as JSON indented by 4 (nothing for an empty one); a missing required member exits 2, an
unknown option, an unparsable or invalid value 255 with the AWS CLI's message, a service error
255 with `An error occurred (Code) when calling the Op operation: message`."""
import argparse
import base64
import functools
import json
import re
import sys
from typing import Any, Dict, List, Optional, Tuple

from ._botocore_data import SERVICES, service_model
from . import _shorthand as _shorthand_syntax
from ._param_validation import validate

GLOBAL_OPTIONS = ("state_directory", "cli_input_json", "output")


def kebab(name: str) -> str:
    """`DescribeDetectorModel` -> `describe-detector-model`, `keyValue` -> `key-value`, as the AWS
    CLI names commands and options (runs of capitals stay one word: `roleARN` -> `role-arn`)."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1-\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", name).lower()


@functools.lru_cache(maxsize=None)
def load_models() -> Dict[str, Tuple[str, Dict[str, Any]]]:
    """command name -> (operation name, service model) for every operation of both services
    (read once per process: `iotevents` consults it for every command)."""
    commands = {}
    for service in SERVICES:
        model = service_model(service)
        for operation in model["operations"]:
            commands[kebab(operation)] = (operation, model)
    return commands


class _Fail(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _json_argument(option: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise _Fail(255, "Error parsing parameter '%s': Invalid JSON: %s\nJSON received: %s" % (option, error, text))


def _encode_blobs(value: Any, shape_name: str, shapes: Dict[str, Any]) -> Any:
    """Blob members given as text, base64-encoded for the wire (the AWS CLI v1 does the same)."""
    shape = shapes[shape_name]
    kind = shape["type"]
    if kind == "blob" and isinstance(value, str):
        return base64.b64encode(value.encode("utf-8")).decode("ascii")
    if kind == "structure" and isinstance(value, dict):
        members = shape.get("members", {})
        return {k: (_encode_blobs(v, members[k]["shape"], shapes) if k in members else v) for k, v in value.items()}
    if kind == "list" and isinstance(value, list):
        return [_encode_blobs(v, shape["member"]["shape"], shapes) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {k: _encode_blobs(v, shape["value"]["shape"], shapes) for k, v in value.items()}
    return value


def add_parser(subparsers: Any, command: str, operation: str, model: Dict[str, Any]) -> None:
    """The subcommand of one operation (its options are read by run(); argparse only lists them)."""
    documentation = re.sub(r"<[^>]+>", "", model["operations"][operation].get("documentation", ""))
    input_ref = model["operations"][operation].get("input")
    required = set(model["shapes"][input_ref["shape"]].get("required", [])) if input_ref else set()
    lines = ["options (as the AWS CLI's; JSON for structures and lists):"]
    for option, (name, shape) in sorted(_options(operation, model).items()):
        lines.append("  %s %s%s" % (option, shape["type"].upper(), " (required)" if name in required else ""))
    lines += ["  --cli-input-json JSON|file://PATH", "  --state-directory DIR (required): the engine's state"]
    parser = subparsers.add_parser(command, help="%s (%s)" % (operation, documentation.split(". ")[0][:80]),
                                   description=documentation, epilog="\n".join(lines),
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(run=lambda arguments: run(command, []))


def _options(operation: str, model: Dict[str, Any]) -> Dict[str, Tuple[str, Dict[str, Any]]]:
    """--option -> (member name, member shape) of the operation's input."""
    input_ref = model["operations"][operation].get("input")
    if not input_ref:
        return {}
    members = model["shapes"][input_ref["shape"]].get("members", {})
    return {"--" + kebab(name): (name, model["shapes"][ref["shape"]]) for name, ref in members.items()}


def parse(command: str, operation: str, model: Dict[str, Any], argv: List[str]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(request, global options) from the command line, as the AWS CLI v1 reads it."""
    options = _options(operation, model)
    shapes = model["shapes"]
    request: Dict[str, Any] = {}
    flags: Dict[str, Any] = {}
    given: Dict[str, Any] = {}
    unknown: List[str] = []
    i = 0
    while i < len(argv):
        word = argv[i]
        option, _, inline = word.partition("=")
        value: Optional[str] = inline if inline else None
        if option in ("--state-directory", "--cli-input-json", "--output"):
            if value is None:
                i += 1
                if i >= len(argv):
                    raise _Fail(2, _usage("argument %s: expected one argument" % option))
                value = argv[i]
            flags[option[2:].replace("-", "_")] = value
        elif option.startswith("--no-") and "--" + option[5:] in options and options["--" + option[5:]][1]["type"] == "boolean":
            given[options["--" + option[5:]][0]] = False
        elif option in options:
            name, shape = options[option]
            if shape["type"] == "boolean":
                given[name] = True
            elif shape["type"] == "list" and value is None:
                # A list takes every word up to the next option, as the AWS CLI's nargs="+".
                words = []
                while i + 1 < len(argv) and not argv[i + 1].startswith("--"):
                    i += 1
                    words.append(argv[i])
                if not words:
                    raise _Fail(2, _usage("argument %s: expected at least one argument" % option))
                given[name] = _convert_list(option, words, shape, shapes)
            else:
                if value is None:
                    i += 1
                    if i >= len(argv):
                        raise _Fail(2, _usage("argument %s: expected one argument" % option))
                    value = argv[i]
                given[name] = _convert_list(option, [value], shape, shapes) if shape["type"] == "list" \
                    else _convert(option, value, shape, shapes)
        else:
            unknown.append(word)
        i += 1
    if unknown:
        raise _Fail(255, _usage("") + "\nUnknown options: %s" % ", ".join(unknown))
    if "cli_input_json" in flags:
        text = flags["cli_input_json"]
        if text.startswith("file://"):
            try:
                with open(text[len("file://"):], encoding="utf-8") as f:
                    text = f.read()
            except OSError as error:
                raise _Fail(255, "Error parsing parameter 'cli-input-json': Unable to load paramfile %s: %s"
                            % (flags["cli_input_json"], error))
        loaded = _json_argument("cli-input-json", text)
        if not isinstance(loaded, dict):
            raise _Fail(255, "Error parsing parameter 'cli-input-json': Invalid JSON: an object is required")
        request.update(loaded)
    request.update(given)
    input_ref = model["operations"][operation].get("input")
    if input_ref:
        input_shape = shapes[input_ref["shape"]]
        missing = ["--" + kebab(m) for m in input_shape.get("required", []) if m not in request]
        if missing:
            raise _Fail(2, _usage("the following arguments are required: %s" % ", ".join(missing)))
        report = validate(request, input_ref["shape"], shapes)
        if report:
            raise _Fail(255, report)
        request = _encode_blobs(request, input_ref["shape"], shapes)
    if "state_directory" not in flags:
        raise _Fail(2, _usage("the following arguments are required: --state-directory"))
    if flags.get("output", "json") != "json":
        raise _Fail(255, "iotevents %s: only --output json is supported" % command)
    return request, flags


def _usage(error: str) -> str:
    """An argument error as the AWS CLI words it: its usage banner, then `<program>: error: ...`
    (the banner alone for unknown options, whose message follows it)."""
    banner = ("usage: iotevents <command> [parameters] --state-directory DIR\n"
              "To see help text, you can run:\n\n  iotevents --help\n  iotevents <command> --help")
    return banner + ("\niotevents: error: " + error if error else "")


def _param_file(option: str, text: str) -> str:
    """The text of a file:// value (the AWS CLI v1 reads any parameter's value from a file so)."""
    if not text.startswith("file://"):
        return text
    try:
        with open(text[len("file://"):], encoding="utf-8") as f:
            return f.read()
    except OSError as error:
        raise _Fail(255, "Error parsing parameter '%s': Unable to load paramfile %s: %s" % (option, text, error))


def _shorthand(option: str, text: str, shape: Dict[str, Any], shapes: Dict[str, Any]) -> Dict[str, Any]:
    """A structure in the AWS CLI's shorthand (`key=a,value=b`, `outer={inner=x}`)."""
    try:
        structure: Dict[str, Any] = _shorthand_syntax.typed(_shorthand_syntax.parse(text), shape, shapes)
    except _shorthand_syntax.ShorthandError as error:
        raise _Fail(255, "Error parsing parameter '%s': %s" % (option, error))
    return structure


def _convert_list(option: str, words: List[str], shape: Dict[str, Any], shapes: Dict[str, Any]) -> Any:
    """A list given as JSON (one word starting with "["), or as one word per item: scalars, or
    structures as JSON or shorthand."""
    words = [_param_file(option, word) for word in words]  # each read once: a file's text is not a path
    if len(words) == 1 and words[0].lstrip().startswith("["):
        return _json_argument(option, words[0])
    member = shapes[shape["member"]["shape"]]
    return [_value(option, word, member, shapes) for word in words]


def _convert(option: str, text: str, shape: Dict[str, Any], shapes: Dict[str, Any]) -> Any:
    return _value(option, _param_file(option, text), shape, shapes)


def _value(option: str, text: str, shape: Dict[str, Any], shapes: Dict[str, Any]) -> Any:
    """One value of the command line, typed by its shape: numbers, JSON or shorthand for a
    structure, JSON for a list or map, text otherwise (booleans are flags)."""
    kind = shape["type"]
    if kind in ("integer", "long"):
        try:
            return int(text)
        except ValueError as error:
            raise _Fail(255, str(error))
    if kind in ("double", "float", "timestamp"):
        try:
            return float(text)
        except ValueError as error:
            raise _Fail(255, str(error))
    if kind == "structure" and not text.lstrip().startswith("{"):
        return _shorthand(option, text, shape, shapes)
    if kind in ("structure", "list", "map"):
        return _json_argument(option, text)
    return text


def run(command: str, argv: List[str]) -> int:
    """Runs `iotevents COMMAND ARGV...`; prints the response or the error; returns the exit status."""
    commands = load_models()
    operation, model = commands[command]
    try:
        request, flags = parse(command, operation, model, argv)
    except _Fail as failure:
        print(str(failure), file=sys.stderr)
        return failure.status
    from .engine import Engine
    from .errors import ClientError
    try:
        with Engine(state_directory=flags["state_directory"]) as engine:
            response = engine.call(operation, request)
    except ClientError as error:
        detail = error.response["Error"]
        print("\nAn error occurred (%s) when calling the %s operation: %s" % (detail["Code"], operation, detail["Message"]),
              file=sys.stderr)
        return 255
    if response:
        print(json.dumps(response, indent=4, ensure_ascii=False))
    return 0
