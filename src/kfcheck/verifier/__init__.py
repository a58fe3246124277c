"""The offline verifier, modelled on Linux 6.18's (``kernel/bpf/verifier.c``)."""
