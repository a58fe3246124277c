"""The running kernel as an oracle: the ``bpf()`` syscall layer and the program loader."""
