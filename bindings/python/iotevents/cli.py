"""The `iotevents` command (console script, or `python -m iotevents`): one subcommand per task.

    iotevents serve [--host H] [--port P] [--state-directory DIR] [--credentials KEY:SECRET] ...
    iotevents import FILE... [--state-directory DIR [--update] | --emit] [--parameter NAME=VALUE ...]
                          [--import-value NAME=VALUE ...] [--stack-name [FILE=]NAME ...]
    iotevents replay --state-directory DIR MESSAGES [--format text|json] [--expect FILE]
    iotevents timeline TRANSCRIPT -o out.svg|out.png
    iotevents analyze MODEL.json [--input INPUT.json ...] [--state-directory DIR]
    iotevents cluster worker|setup|put-model|server-config --servers nats://... (docs/cluster.md)
    iotevents describe-detector --detector-model-name X --key-value K --state-directory DIR
                          (every operation of iotevents and iotevents-data, as the AWS CLI has it)

Add a subcommand with a function `_add_<name>(subparsers)` that registers its parser and sets
`run` to a function of the parsed arguments returning the exit status."""
import argparse
import contextlib
import io
import sys
from typing import Any, ContextManager, Dict, List, Optional, TextIO, Tuple


def _text_input(path: str) -> ContextManager[TextIO]:
    """The file at `path` to read as text, or standard input for `-` (left open afterwards)."""
    if path == "-":
        return contextlib.nullcontext(sys.stdin)
    return open(path, encoding="utf-8")


def _credentials(text):
    key, separator, secret = text.partition(":")
    if not separator or not key or not secret:
        raise argparse.ArgumentTypeError("expected ACCESS_KEY:SECRET, got %r" % text)
    return key, secret


def _add_serve(subparsers):
    parser = subparsers.add_parser(
        "serve", help="serve an engine over HTTP with the AWS REST-JSON protocol of iotevents and iotevents-data",
        description="Serves an engine over HTTP/1.1 for both services' REST-JSON protocol on one port, so the AWS "
                    "CLI (--endpoint-url), boto3 (endpoint_url=) and other AWS SDKs work unchanged. Stops on "
                    "SIGTERM or Ctrl-C after the calls in flight, closing the engine cleanly. Needs botocore.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=9080, help="port (default 9080; 0 picks a free one and prints it)")
    parser.add_argument("--state-directory", help="keep the engine's state durably in this directory")
    parser.add_argument("--region", default="us-east-1", help="the engine's region, and the one signatures must name")
    parser.add_argument("--account-id", help="the account id in the ARNs the engine writes")
    parser.add_argument("--clock", choices=("system", "manual"), default="system",
                        help="system (default; timers fire on their own) or manual (time stands at --start-time-millis)")
    parser.add_argument("--start-time-millis", type=int, help="where the manual clock stands (epoch ms)")
    parser.add_argument("--credentials", action="append", type=_credentials, default=[], metavar="ACCESS_KEY:SECRET",
                        help="accept requests signed (SigV4) with this key pair; repeatable. Without any, "
                             "signatures are not checked")
    parser.add_argument("--verbose", action="store_true", help="log every request to standard error")
    parser.add_argument("--cluster", metavar="NATS_URLS",
                        help="answer the data API of an iotevents cluster (comma-separated NATS URLs) instead of an "
                             "engine of its own (docs/cluster.md; needs nats-py)")
    parser.add_argument("--partitions", type=int, default=16, help="with --cluster: the cluster's partitions (default 16)")
    parser.set_defaults(run=_run_serve)


def _run_serve(arguments):
    from .serve import serve
    config = {"clock": arguments.clock, "region": arguments.region}
    if arguments.clock == "system":
        config["timer_thread"] = True
    elif arguments.start_time_millis is not None:
        config["start_time_millis"] = arguments.start_time_millis
    if arguments.state_directory:
        config["state_directory"] = arguments.state_directory
    if arguments.account_id:
        config["account_id"] = arguments.account_id
    from .errors import ClientError
    cluster = None
    if arguments.cluster:
        if arguments.state_directory:
            print("iotevents serve: --cluster and --state-directory exclude each other (the cluster keeps its state "
                  "in JetStream)", file=sys.stderr)
            return 2
        cluster = {"servers": [s.strip() for s in arguments.cluster.split(",") if s.strip()],
                   "partitions": arguments.partitions}
    try:
        return serve(config, arguments.host, arguments.port, dict(arguments.credentials), verbose=arguments.verbose,
                     cluster=cluster)
    except ClientError as error:  # the engine refused the configuration (a state directory, ...)
        print("iotevents serve: %s" % error, file=sys.stderr)
        return 1
    except OSError as error:  # the address is taken, or not ours
        print("iotevents serve: cannot listen on %s:%d: %s" % (arguments.host, arguments.port, error), file=sys.stderr)
        return 1


def _parameter(text: str) -> Tuple[str, str]:
    name, separator, value = text.partition("=")
    if not separator or not name:
        raise argparse.ArgumentTypeError("expected NAME=VALUE, got %r" % text)
    return name, value


def _stack_name(text: str) -> Tuple[str, str]:
    """(FILE, NAME) of `--stack-name [FILE=]NAME`; FILE "" for every file. A stack name has no
    '=', so the last one separates them."""
    from .stack_context import STACK_NAME
    path, _, name = text.rpartition("=")
    if not STACK_NAME.fullmatch(name):
        raise argparse.ArgumentTypeError("%r is not a stack name (a letter, then letters, digits and hyphens; "
                                         "at most 128)" % name)
    return path, name


def _add_import(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import", help="load the inputs and models of CloudFormation/CDK templates, describe outputs, Create requests",
        description="Reads each FILE (the kind from its content): a CloudFormation or CDK template (JSON or YAML, "
                    "short-form tags too) and its AWS::IoTEvents::Input, DetectorModel and AlarmModel resources; "
                    "a saved `aws iotevents describe-input`, describe-detector-model or describe-alarm-model "
                    "output; a CreateInput/CreateDetectorModel/CreateAlarmModel request, or JSON Lines of them as "
                    "--emit prints. Templates may import each other's exports (Fn::ImportValue). Every request is "
                    "checked on a scratch engine first: any problem is reported and nothing is loaded. A resource "
                    "the state directory holds already is refused, or with --update updated where it differs; "
                    "each is reported created, updated or unchanged. YAML "
                    "needs PyYAML (pip install 'iotevents[import]'). Pseudo-parameters: AWS::Region us-east-1, "
                    "AWS::AccountId 123456789012, AWS::StackName iotevents-import (each as its option sets it), "
                    "AWS::Partition aws, AWS::URLSuffix amazonaws.com, AWS::StackId an ARN derived from them; "
                    "Fn::GetAZs gives <region>a, <region>b, <region>c.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="a template, describe output or Create request")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--state-directory", help="create the resources in the engine kept in this directory")
    parser.add_argument("--update", action="store_true",
                        help="with --state-directory: update the resources it holds already where they differ "
                             "(a model gets a new version), instead of refusing them")
    what.add_argument("--emit", action="store_true",
                      help='print the Create requests as JSON Lines ({"operation": ..., "request": ...}) instead')
    parser.add_argument("--parameter", action="append", type=_parameter, default=[], metavar="NAME=VALUE",
                        help="a template parameter's value (repeatable; overrides its Default)")
    parser.add_argument("--import-value", action="append", type=_parameter, default=[], metavar="NAME=VALUE",
                        help="what Fn::ImportValue NAME gives, for an export of a stack not imported (repeatable)")
    parser.add_argument("--stack-name", action="append", type=_stack_name, default=[], metavar="[FILE=]NAME",
                        help="AWS::StackName (and AWS::StackId) of every template, or of FILE's (repeatable; "
                             "default iotevents-import)")
    parser.add_argument("--region", help="AWS::Region of the templates, and the engine's region (default us-east-1)")
    parser.add_argument("--account-id", help="AWS::AccountId of the templates, and the engine's (default 123456789012)")
    parser.set_defaults(run=_run_import)


def _run_import(arguments: argparse.Namespace) -> int:
    from . import importer
    if arguments.update and not arguments.state_directory:
        print("iotevents import: --update needs --state-directory DIR", file=sys.stderr)
        return 2
    context: Dict[str, str] = {}
    if arguments.region:
        context["AWS::Region"] = arguments.region
    if arguments.account_id:
        context["AWS::AccountId"] = arguments.account_id
    result = importer.read(arguments.files, dict(arguments.parameter), context,
                           import_values=dict(arguments.import_value), stack_names=dict(arguments.stack_name))
    problems = result.problems or importer.validate(result.items, arguments.region, arguments.account_id)
    if not problems:
        if arguments.emit:
            importer.emit(result.items, sys.stdout)
        elif arguments.state_directory:
            problems = importer.load(result.items, arguments.state_directory, sys.stdout,
                                     arguments.region, arguments.account_id, update=arguments.update)
        else:
            for item in result.items:
                print("valid %s" % item.label)
    if problems:
        for problem in problems:
            print("iotevents import: %s" % problem, file=sys.stderr)
        print("iotevents import: %d problem%s: nothing loaded" % (
            len(problems), "" if len(problems) == 1 else "s"), file=sys.stderr)
        return 1
    for line in result.skipped:
        print(line, file=sys.stderr if arguments.emit else sys.stdout)
    if not arguments.emit and not arguments.state_directory:
        print("iotevents import: %d resource%s valid; nothing loaded (--state-directory DIR loads them, --emit "
              "prints the requests)" % (len(result.items), "" if len(result.items) == 1 else "s"))
    return 0


def _add_replay(subparsers):
    parser = subparsers.add_parser(
        "replay", help="replay a JSON Lines file of messages on a manual clock and print what happened",
        description="Replays messages (JSON Lines: inputName, payload, optional timestamp in epoch ms and messageId) "
                    "into the engine kept in --state-directory, on a manual clock that follows the timestamps: timers "
                    "between two messages fire at their due times. Prints a transcript of detectors and alarms "
                    "created, transitions, variable changes, actions and refused messages.")
    parser.add_argument("messages", metavar="MESSAGES", help="the JSON Lines file (- for standard input)")
    parser.add_argument("--state-directory", required=True, help="the engine's state (as `iotevents import` left it)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or JSON Lines")
    parser.add_argument("--expect", metavar="FILE", help="compare with a recorded transcript; exit 1 on a difference")
    parser.add_argument("--start-time-millis", type=int,
                        help="where the clock starts (default: the first message's timestamp)")
    parser.add_argument("--progress", action="store_true", help="report progress on standard error (default: when it is a terminal)")
    parser.add_argument("--timeline", metavar="PICTURE", help="also draw the transcript (as iotevents timeline does) into "
                                                               "this .svg or .png file")
    parser.set_defaults(run=_run_replay)


def _run_replay(arguments):
    from .errors import ClientError
    from .replay import compare, replay
    out = io.StringIO() if arguments.expect else sys.stdout
    progress = sys.stderr if arguments.progress or sys.stderr.isatty() else None
    entries: list = []
    try:
        if arguments.timeline and not arguments.timeline.lower().endswith((".svg", ".png")):
            raise ValueError("--timeline must name an .svg or a .png file: %s" % arguments.timeline)
        with _text_input(arguments.messages) as messages:
            lines = replay(arguments.state_directory, messages, out, text=arguments.format == "text",
                           start_time_millis=arguments.start_time_millis, progress=progress, entries=entries)
        if arguments.timeline:
            from .timeline import draw
            draw(entries, arguments.timeline)
    except (OSError, ValueError, RuntimeError, ClientError) as error:
        print("iotevents replay: %s" % error, file=sys.stderr)
        return 1
    if arguments.expect:
        if not compare(lines, arguments.expect):
            print("iotevents replay: the transcript differs from %s" % arguments.expect, file=sys.stderr)
            return 1
        print("iotevents replay: %d transcript lines, as %s expects" % (len(lines), arguments.expect))
    return 0


def _add_timeline(subparsers):
    parser = subparsers.add_parser(
        "timeline", help="draw a replay's transcript: each detector's states over time, with its actions",
        description="Draws a transcript of `iotevents replay --format json` as a picture: one row per detector "
                    "or alarm, its states as coloured spans over time, actions as markers, refused messages as "
                    "red crosses. SVG or PNG, from the output's name. Needs matplotlib (pip install "
                    "'iotevents[timeline]').")
    parser.add_argument("transcript", metavar="TRANSCRIPT", help="the JSON Lines transcript (- for standard input)")
    parser.add_argument("-o", "--output", required=True, help="the picture to write: a .svg or .png file")
    parser.add_argument("--title", help="a title instead of the default one")
    parser.set_defaults(run=_run_timeline)


def _run_timeline(arguments):
    from .timeline import draw, read_transcript
    try:
        with _text_input(arguments.transcript) as lines:
            entries = read_transcript(lines)
        draw(entries, arguments.output, arguments.title)
    except (OSError, ValueError, RuntimeError) as error:
        print("iotevents timeline: %s" % error, file=sys.stderr)
        return 1
    print("iotevents timeline: %s (%d entries)" % (arguments.output, len(entries)))
    return 0


def _add_analyze(subparsers):
    parser = subparsers.add_parser(
        "analyze", help="analyse a detector model and print its results as a table",
        description="Runs StartDetectorModelAnalysis on the model's definition (a CreateDetectorModel request, "
                    "a DescribeDetectorModel answer or the definition itself) and prints every result with "
                    "its locations. Inputs come from --input files (CreateInput requests) or an existing "
                    "state directory. Exit status 1 when a result is an ERROR, 2 when the model cannot be read.")
    parser.add_argument("model", metavar="MODEL", help="the model's JSON file")
    parser.add_argument("--input", action="append", default=[], metavar="INPUT",
                        help="a CreateInput request file, created before the analysis (repeatable)")
    parser.add_argument("--state-directory", help="analyse against this engine state's inputs")
    parser.set_defaults(run=_run_analyze)


def _run_analyze(arguments):
    from .analyze import run
    return run(arguments.model, arguments.input, arguments.state_directory, sys.stdout, sys.stderr)


def main(argv: Optional[List[str]] = None) -> int:
    from . import awscli
    words = sys.argv[1:] if argv is None else list(argv)
    commands = awscli.load_models()
    # An operation's own options are the AWS CLI's, read by awscli (argparse shows its help only).
    if words and words[0] in commands and not {"-h", "--help"} & set(words[1:]):
        return awscli.run(words[0], words[1:])
    parser = argparse.ArgumentParser(prog="iotevents", description="libiotevents from the command line")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    _add_serve(subparsers)
    _add_import(subparsers)
    _add_replay(subparsers)
    _add_timeline(subparsers)
    _add_analyze(subparsers)
    from .cluster import cli as cluster_cli
    cluster_cli.add_parser(subparsers)
    for command, (operation, model) in sorted(commands.items()):
        awscli.add_parser(subparsers, command, operation, model)
    arguments = parser.parse_args(words)
    return arguments.run(arguments)


if __name__ == "__main__":
    sys.exit(main())
