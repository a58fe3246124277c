#!/bin/sh
# bpf-cc.sh OUT SRC FILE... — compile the BPF program SRC into OUT, reproducibly.
#
# clang-19 orders the BTF FWD types of an object by the heap addresses of their debug-info
# nodes (BTFDebug keys its fixups by pointer), and the heap layout follows the length of the
# compiler's working-directory path; so the same source gives different bytes in different
# checkouts. Compiling in one fixed directory (copied SRC and FILEs, relative paths, a lock
# against concurrent builds) gives the same object wherever the checkout lives.
# The DWARF sections are stripped afterwards (llvm-strip -g): the BTF and .BTF.ext (with the
# line info and source lines) stay, and each object shrinks from ~600 KB to ~30 KB.
set -eu
out=$1
src=$2
shift 2
dir=${KFCHECK_BPF_BUILD_DIR:-/tmp/kfcheck-bpf-build}
: "${CLANG:=clang-19}"
: "${LLVM_STRIP:=llvm-strip-19}"
: "${BPF_CFLAGS:=-g -O2 -target bpf -D__TARGET_ARCH_x86 -I. -Wall -Werror -Wno-unused-variable -Wno-unused-function -fdebug-compilation-dir=.}"
exec 9>"$dir.lock"
flock 9
rm -rf "$dir"
mkdir -p "$dir"
cp "$src" "$@" "$dir/"
name=$(basename "$src")
obj=$(basename "$out")
# shellcheck disable=SC2086
(cd "$dir" && $CLANG $BPF_CFLAGS -c "$name" -o "$obj" && $LLVM_STRIP -g "$obj")
cp "$dir/$obj" "$out"
rm -rf "$dir"
