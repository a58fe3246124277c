#!/usr/bin/env bash
# Rebuild each directory's BPF objects in a fresh copy at another path and compare them with
# the committed ones: the objects must not depend on where the checkout lives.
# Usage: tools/check-objects.sh DIR...   (each DIR has a Makefile building *.bpf.o)
set -euo pipefail
status=0
for dir in "$@"; do
    tmp=$(mktemp -d /tmp/kfcheck-objects-check.XXXXXXXX)
    cp -r "$dir"/. "$tmp"/
    rm -f "$tmp"/*.bpf.o
    make -s -C "$tmp" >/dev/null
    n=0
    for obj in "$dir"/*.bpf.o; do
        n=$((n + 1))
        cmp -s "$obj" "$tmp/$(basename "$obj")" || { echo "out of date: $obj"; status=1; }
    done
    echo "$dir: $n objects checked"
    rm -rf "$tmp"
done
exit $status
