"""Reading the files a user names: one place for the messages of a file that cannot be read.

Every input (objects, BTF, table files, recorded probe runs) is read whole, so each is checked
before it is opened: a FIFO or a device would block the open or never end, and a huge (or
sparse) file would cost its size in memory. Text inputs have a smaller limit than binary ones.
"""

from __future__ import annotations

import os
import stat

from kfcheck.errors import KfcheckError

MAX_INPUT_SIZE = 256 << 20
"""Objects and BTF: 40 times a 6.18 vmlinux BTF (6 MB), far above any BPF object."""

MAX_TEXT_SIZE = 16 << 20
"""Table files and recorded probe runs (the 6.18 table is 40 kB, a recorded run 1 MB)."""

_CHUNK = 1 << 20


def read_input(path: str, error: type[KfcheckError], limit: int = MAX_INPUT_SIZE) -> bytes:
    """The bytes of the regular file ``path``; ``error(problem, path=path)`` when it is missing, a
    directory, not a regular file, larger than ``limit`` bytes or unreadable.

    The file is checked with ``stat`` before it is opened (opening a FIFO blocks until a
    writer comes), opened non-blocking and checked again on the open descriptor (it may have
    been replaced in between); a file that grows while it is read stops at the limit."""
    try:
        _check(path, os.stat(path), error, limit)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise error("no such file", path=path) from None
    except OSError as err:
        raise error(f"cannot read: {err.strerror or err}", path=path) from None
    try:
        with os.fdopen(fd, "rb", buffering=0) as f:
            size = _check(path, os.fstat(fd), error, limit)
            data = f.read(size + 1)  # one allocation when the size is right
            if data is None:
                raise error("not a regular file", path=path)
            if data:  # a short read (sysfs), a grown or a size-0 procfs file: read on, bounded
                parts, total = [data], len(data)
                while total <= limit:
                    chunk = f.read(min(_CHUNK, limit + 1 - total))
                    if not chunk:
                        break
                    parts.append(chunk)
                    total += len(chunk)
                data = b"".join(parts)
    except OSError as err:
        raise error(f"cannot read: {err.strerror or err}", path=path) from None
    if len(data) > limit:
        raise error(f"file is more than the {limit}-byte limit", path=path)
    return data


def _check(path: str, st: os.stat_result, error: type[KfcheckError], limit: int) -> int:
    """The size of a regular file within ``limit``; else ``error``."""
    if stat.S_ISDIR(st.st_mode):
        raise error("is a directory", path=path)
    if not stat.S_ISREG(st.st_mode):
        raise error("not a regular file", path=path)
    if st.st_size > limit:
        raise error(f"file is {st.st_size} bytes, more than the {limit}-byte limit",
                    path=path)
    return st.st_size
