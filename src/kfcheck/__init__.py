"""kfcheck: a table-driven BPF kfunc checker."""

__version__ = "0.1.0"
