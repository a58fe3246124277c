"""Linking BPF objects for loading: relocations, ksyms, ``.kconfig`` and CO-RE."""

from kfcheck.link.linker import KernelTarget, LinkFailure, link_file, link_object
from kfcheck.link.program import MapRef, MapRole, MapSpec, Program

__all__ = ["KernelTarget", "LinkFailure", "MapRef", "MapRole", "MapSpec", "Program",
           "link_file", "link_object"]
