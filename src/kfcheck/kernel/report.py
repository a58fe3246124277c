"""``kfcheck kernel``'s library side: the running kernel's verdicts on every program of many
objects. An object that cannot be read or linked becomes one ``FileError`` row of its own, so
one bad file never hides the others' verdicts; a run over one object raises its error
(``kfcheck: FILE: problem``). ``kfcheck.commands.report`` formats the rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from kfcheck.errors import KernelError, KfcheckError
from kfcheck.host import running_build
from kfcheck.kernel import syscall
from kfcheck.kernel.oracle import check_file
from kfcheck.link import KernelTarget
from kfcheck.verdict import FileError, Result


def check_files(paths: Sequence[str], with_log: bool = False,
                log_level: int | None = None) -> list[Result]:
    """The verdicts on every program of every object, a ``FileError`` in place of the
    programs of an object that could not be checked. Raises ``KernelError`` when the kernel
    cannot be used at all, and a single object's error as it is."""
    reason = syscall.available()
    if reason is not None:
        raise KernelError(reason, path=paths[0]) if paths else KernelError(f"kernel: {reason}")
    target = KernelTarget.running()
    results: list[Result] = []
    for path in paths:
        try:
            results += check_file(path, target, full_log=with_log, log_level=log_level)
        except KfcheckError as err:
            if len(paths) == 1:
                raise
            results.append(FileError.of(path, err, running_build()))
    return results
