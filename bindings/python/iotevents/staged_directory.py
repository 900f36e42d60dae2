"""A state directory changed all at once: `iotevents import` makes its calls on a copy and swaps
the copy in with one rename, so a crash (or kill -9) part-way through leaves the state directory
as it was, never with some of the resources.

    with StagedDirectory(path) as staged:   # path locked as an engine locks it; copy made
        ...an engine on staged.path...      # every call goes to the copy
        staged.commit()                     # copy synced, then exchanged with path atomically

The swap is renameat2(RENAME_EXCHANGE) (Linux 3.15, glibc 2.28; ext4, xfs, btrfs and tmpfs have
it): after it, `path` is the new state and the copy's name holds the old one, which is removed.
Without it (another system or file system), `commit` refuses and nothing is changed.

While staged, the directory is locked with the flock an engine takes on it (the library's
ie_lock_directory), so no engine can open it and write calls that the swap would discard.
Leftovers of an interrupted import (`.<name>.import-*` beside it) are removed by the next one."""
import ctypes
import errno
import fcntl
import os
import shutil
from typing import Any, Optional

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_PREFIX = ".%s.import-"


def _renameat2() -> Any:
    libc = ctypes.CDLL(None, use_errno=True)
    function = getattr(libc, "renameat2", None)
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        function.restype = ctypes.c_int
    return function


def _fsync_tree(root: str) -> None:
    """Every file and directory under root on disk (the copy was written through the page cache)."""
    for folder, _, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_directory(folder)


def _fsync_directory(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class StagedDirectory:
    def __init__(self, path: str) -> None:
        self.target = os.path.abspath(path)
        parent, name = os.path.split(self.target)
        self.parent = parent
        self.prefix = _PREFIX % name
        self.path = os.path.join(parent, self.prefix + str(os.getpid()))
        self._lock: Optional[int] = None
        self._committed = False

    def __enter__(self) -> "StagedDirectory":
        os.makedirs(self.target, exist_ok=True)
        fd = os.open(self.target, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            os.close(fd)
            if error.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
                raise InUse("%s is in use by another engine" % self.target) from None
            raise
        self._lock = fd
        for leftover in os.listdir(self.parent):  # of an import that was interrupted
            if leftover.startswith(self.prefix):
                shutil.rmtree(os.path.join(self.parent, leftover), ignore_errors=True)
        shutil.copytree(self.target, self.path)
        return self

    def commit(self) -> None:
        """The copy becomes the state directory, in one step."""
        exchange = _renameat2()
        if exchange is None:
            raise OSError(errno.ENOSYS, "renameat2 is not available: the import cannot be made atomic")
        _fsync_tree(self.path)
        if exchange(_AT_FDCWD, os.fsencode(self.path), _AT_FDCWD, os.fsencode(self.target), _RENAME_EXCHANGE) != 0:
            code = ctypes.get_errno()
            raise OSError(code, "cannot exchange %s with %s: %s" % (self.path, self.target, os.strerror(code)))
        _fsync_directory(self.parent)
        self._committed = True

    def __exit__(self, *exc: Any) -> None:
        # Committed: self.path holds the old state; otherwise the unused copy. Either goes.
        shutil.rmtree(self.path, ignore_errors=True)
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


class InUse(Exception):
    """The state directory is locked by an engine (another process, or this one)."""
