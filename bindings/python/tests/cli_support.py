"""What the command-line tests share: running `iotevents` in this process, and the AWS CLI steps'
normal form (times vary from run to run, so the recordings hold "<time>")."""
import contextlib
import io

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


def normalise(document):
    """The document with its creation and update times replaced by "<time>"."""
    if isinstance(document, dict):
        return {k: ("<time>" if k in ("creationTime", "lastUpdateTime") else normalise(v)) for k, v in document.items()}
    if isinstance(document, list):
        return [normalise(v) for v in document]
    return document
