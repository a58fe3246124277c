"""Command line: each command parses its arguments and calls one library function."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from kfcheck.errors import KfcheckError

Handler = Callable[[argparse.Namespace], int]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kfcheck", description="Table-driven BPF kfunc checker."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for register in _COMMANDS:
        register(sub)
    return parser


if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]
    Register = Callable[[Subparsers], None]

# Each entry adds one sub-command and sets ``handler`` on it (see ``command``).
_COMMANDS: list[Register] = []


def command(register: Register) -> Register:
    """Decorator: add a sub-command registration function to the CLI."""
    _COMMANDS.append(register)
    return register


# ---- commands (one block each; each calls into the library) ----



def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args = _parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except KfcheckError as err:
        print(f"kfcheck: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
