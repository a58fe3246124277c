#!/usr/bin/env bash
# Rebuild each directory's BPF objects in a fresh copy at another path and compare them with
# the committed ones: the objects must not depend on where the checkout lives.
# Usage: tools/check-objects.sh DIR...   (each DIR has a Makefile building *.bpf.o; DIR is
# relative to the checkout's root, and may include the corpus headers from ../../corpus)
set -euo pipefail
status=0
for dir in "$@"; do
    tmp=$(mktemp -d /tmp/kfcheck-objects-check.XXXXXXXX)
    mkdir -p "$tmp/$dir" "$tmp/tests"
    cp -r "$dir"/. "$tmp/$dir"/
    rm -f "$tmp/$dir"/*.bpf.o
    [ -e "$tmp/tests/corpus" ] || ln -s "$PWD/tests/corpus" "$tmp/tests/corpus"
    make -s -C "$tmp/$dir" >/dev/null
    n=0
    for obj in "$dir"/*.bpf.o; do
        n=$((n + 1))
        cmp -s "$obj" "$tmp/$dir/$(basename "$obj")" || { echo "out of date: $obj"; status=1; }
    done
    echo "$dir: $n objects checked"
    rm -rf "$tmp"
done
exit $status
