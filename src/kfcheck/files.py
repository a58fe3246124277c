"""Reading the files a user names: one place for the messages of a file that cannot be read."""

from __future__ import annotations

import os
import stat

from kfcheck.errors import KfcheckError


def read_input(path: str, error: type[KfcheckError]) -> bytes:
    """The bytes of the regular file ``path``; ``error(path, problem)`` when it is missing, a
    directory, not a regular file (a FIFO or a device would block or never end) or unreadable."""
    try:
        with open(path, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise error(path, "not a regular file")
            return f.read()
    except IsADirectoryError:
        raise error(path, "is a directory") from None
    except FileNotFoundError:
        raise error(path, "no such file") from None
    except OSError as err:
        raise error(path, f"cannot read: {err.strerror or err}") from None
