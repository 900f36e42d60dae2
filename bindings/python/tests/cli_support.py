"""What the command-line tests share: running `iotevents` in this process, and the AWS CLI steps'
normal form (times vary from run to run, so the recordings hold "<time>"; the AWS CLI's usage
banner names `aws`, so the recordings hold the error lines only)."""
import contextlib
import io
import re

from iotevents import cli


def run_cli(argv):
    """(exit status, standard output, standard error) of `iotevents ARGV...`, run in process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(argv)
        except SystemExit as exit_:  # argparse's own errors and --help
            status = exit_.code
    return status, out.getvalue(), err.getvalue()


# Every timestamp member of both service models' outputs (Timer.timestamp is a detector timer's).
TIME_MEMBERS = ("creationTime", "lastUpdateTime", "timestamp")


def _time(value):
    """"<time>" for a time as the AWS CLI v1 prints it, epoch seconds as a JSON number (its
    documented examples have 1560796816.077); anything else is kept, so a time in another
    format (milliseconds, ISO text) differs from the recording."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1e9 <= value < 1e11:
        return "<time>"
    return value


def normalise(document):
    """The document with its creation, update and timer times replaced by "<time>"."""
    if isinstance(document, dict):
        return {k: (_time(v) if k in TIME_MEMBERS else normalise(v)) for k, v in document.items()}
    if isinstance(document, list):
        return [normalise(v) for v in document]
    return document


def error_lines(stderr):
    """A failed command's standard error without the usage banner (the AWS CLI's names `aws` and
    its help commands and a note on version 2: "usage: ...", "To see help text ...", "  aws help") and with the program
    name that starts an argument error ("aws: error:", "iotevents: error:") as "<cli>"."""
    # The AWS CLI v1 writes its version-2 note as "usage: \rNote: ...": a line of its own when read
    # as text.
    lines = [line for line in stderr.strip().splitlines()
             if line.strip() and not line.startswith(("usage:", "To see help text", "Note: AWS CLI version 2"))
             and not re.match(r"  (aws|iotevents) ", line)]
    return re.sub(r"^(aws|iotevents): error:", "<cli>: error:", "\n".join(lines), flags=re.M)
