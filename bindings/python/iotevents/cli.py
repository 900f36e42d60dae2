"""The `iotevents` command (console script, or `python -m iotevents`): one subcommand per task.

    iotevents serve [--host H] [--port P] [--state-directory DIR] [--credentials KEY:SECRET] ...
    iotevents replay --state-directory DIR MESSAGES [--format text|json] [--expect FILE]
    iotevents timeline TRANSCRIPT -o out.svg|out.png
    iotevents describe-detector --detector-model-name X --key-value K --state-directory DIR
                          (every operation of iotevents and iotevents-data, as the AWS CLI has it)

Add a subcommand with a function `_add_<name>(subparsers)` that registers its parser and sets
`run` to a function of the parsed arguments returning the exit status."""
import argparse
import io
import sys
from typing import List, Optional


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
    try:
        return serve(config, arguments.host, arguments.port, dict(arguments.credentials), verbose=arguments.verbose)
    except ClientError as error:  # the engine refused the configuration (a state directory, ...)
        print("iotevents serve: %s" % error, file=sys.stderr)
        return 1
    except OSError as error:  # the address is taken, or not ours
        print("iotevents serve: cannot listen on %s:%d: %s" % (arguments.host, arguments.port, error), file=sys.stderr)
        return 1


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
        with (sys.stdin if arguments.messages == "-" else open(arguments.messages, encoding="utf-8")) as messages:
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
        with (sys.stdin if arguments.transcript == "-" else open(arguments.transcript, encoding="utf-8")) as lines:
            entries = read_transcript(lines)
        draw(entries, arguments.output, arguments.title)
    except (OSError, ValueError, RuntimeError) as error:
        print("iotevents timeline: %s" % error, file=sys.stderr)
        return 1
    print("iotevents timeline: %s (%d entries)" % (arguments.output, len(entries)))
    return 0


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
    _add_replay(subparsers)
    _add_timeline(subparsers)
    for command, (operation, model) in sorted(commands.items()):
        awscli.add_parser(subparsers, command, operation, model)
    arguments = parser.parse_args(words)
    return arguments.run(arguments)


if __name__ == "__main__":
    sys.exit(main())
