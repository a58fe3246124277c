"""Family-membership lookup: four ways, side by side, in Python and in C (gcc -O2).

(a) the kernel's style: one if-chain per family (``btf_id == special_kfunc_list[KF_x] || ...``)
(b) the v9 table-driven proposal: linear scan of per-family arrays of enum indexes
(c) the kernel's BTF_SET style: binary search over a sorted id array per family
(d) kfcheck's compiled form as a verifier rule uses it. Python: for one-family questions the
    per-family id set compiled from the table, bound once (``table.family_ids(F).__contains__``,
    a builtin method: no Python frame); for every-family questions the per-id mask
    (``table.family_mask(id)`` once, then one AND per family). C: open addressing
    btf_id -> mask.

Python only, so that nothing is hidden: (e) the per-id mask test written as a Python function
(``get(id, 0) & bit != 0``), called like (a)-(c); (f) the API method
``KfuncTable.in_family(id, F)``. Both pay a Python call per question, which costs more than the
lookup itself.

All variants are generated from the kfunc table and checked to give the same answers. The query
mix is every kfunc id plus as many non-kfunc ids, each asked about every family the profile
declares. Prints ns per query and the ratio to (a). Run:
``python bench/bench_lookup.py [--kernel-btf FILE] [--repeat N] [--keep-c FILE]``.
"""

from __future__ import annotations

import argparse
import bisect
import random
import shutil
import subprocess
import tempfile
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from kfcheck.profile.embedded import load_profile
from kfcheck.profile.kfuncs.schema import Family
from kfcheck.profile.kfuncs.table import KfuncTable

VARIANTS = ("if-chain", "linear scan", "bsearch", "bit mask")  # Python and C: (a)-(d)
PY_ONLY = ("mask predicate", "in_family")  # Python: (e), (f)
LABELS = {
    "if-chain": "(a) if-chain (kernel style)",
    "linear scan": "(b) linear scan (v9 proposal)",
    "bsearch": "(c) bsearch (BTF_SET)",
    "bit mask": "(d) kfcheck: id set / mask",
    "mask predicate": "(e) mask test as a def",
    "in_family": "(f) KfuncTable.in_family",
}


@dataclass(frozen=True)
class Workload:
    """The special list, each family's members as enum indexes, and the queries."""

    families: tuple[Family, ...]
    special_ids: tuple[int, ...]  # special_kfunc_list, enum order
    members: tuple[tuple[int, ...], ...]  # per family: enum indexes
    masks: dict[int, int]  # btf_id -> bit i set for families[i]
    queries: tuple[tuple[int, int], ...]  # (btf_id, family index)


def workload(table: KfuncTable, seed: int = 1) -> Workload:
    """Build the workload from a compiled table."""
    special = table.special()
    index = {s.name: i for i, s in enumerate(special)}
    # the families the kernel tests through special_kfunc_list (not the set-based DEV_BOUND)
    fams = tuple(f for f in table.families() if not table.file.families[f].kernel_set)
    members = tuple(tuple(sorted(index[s.name] for s in table.members(f))) for f in fams)
    masks: dict[int, int] = {}
    for i, mem in enumerate(members):
        for idx in mem:
            masks[special[idx].btf_id] = masks.get(special[idx].btf_id, 0) | 1 << i
    kfunc_ids = [s.btf_id for s in table]
    rng = random.Random(seed)
    taken = set(kfunc_ids)
    others: list[int] = []
    while len(others) < len(kfunc_ids):
        cand = rng.randrange(1, 2 * max(kfunc_ids))
        if cand not in taken:
            taken.add(cand)
            others.append(cand)
    queries = [(i, f) for i in kfunc_ids + others for f in range(len(fams))]
    rng.shuffle(queries)
    return Workload(fams, tuple(s.btf_id for s in special), members, masks, tuple(queries))


# ---- Python ----


def python_variants(w: Workload, table: KfuncTable) -> dict[str, list[Callable[[int], bool]]]:
    """Per variant, one predicate per family: ``pred[fam](btf_id) -> bool`` (one call each,
    as a verifier call site asks one fixed family)."""
    lst = list(w.special_ids)
    src = []
    for i, mem in enumerate(w.members):
        chain = " or ".join(f"btf_id == L[{idx}]" for idx in mem) or "False"
        src.append(f"def p{i}(btf_id):\n    return {chain}\n")
    scope: dict[str, object] = {"L": lst}
    exec("".join(src), scope)  # the generated if-chains, as the kernel writes them
    chains: list[Callable[[int], bool]] = [
        scope[f"p{i}"] for i in range(len(w.members))  # type: ignore[misc]
    ]

    def linear(tab: tuple[int, ...]) -> Callable[[int], bool]:
        def pred(btf_id: int, tab: tuple[int, ...] = tab, lst: list[int] = lst) -> bool:
            for idx in tab:
                if btf_id == lst[idx]:
                    return True
            return False
        return pred

    def bsearch(ids: list[int]) -> Callable[[int], bool]:
        def pred(btf_id: int, ids: list[int] = ids, n: int = len(ids)) -> bool:
            pos = bisect.bisect_left(ids, btf_id)
            return pos < n and ids[pos] == btf_id
        return pred

    def mask_test(bit: int) -> Callable[[int], bool]:
        def pred(btf_id: int, get: Callable[[int, int], int] = w.masks.get,
                 bit: int = bit) -> bool:
            return get(btf_id, 0) & bit != 0
        return pred

    return {
        "if-chain": chains,
        "linear scan": [linear(m) for m in w.members],
        "bsearch": [bsearch(sorted(lst[i] for i in m)) for m in w.members],
        "bit mask": [table.family_ids(f).__contains__ for f in w.families],
        "mask predicate": [mask_test(1 << i) for i in range(len(w.families))],
        "in_family": [partial(_flipped, table.in_family, f) for f in w.families],
    }


def _flipped(in_family: Callable[[int, Family], bool], fam: Family, btf_id: int) -> bool:
    """``in_family(btf_id, fam)`` with the family bound first (answers check only: the timing
    calls the method directly)."""
    return in_family(btf_id, fam)


def time_python(w: Workload, table: KfuncTable, repeat: int) -> dict[str, tuple[float, float]]:
    """Per variant: ns per (id, family) query, and ns per id answering every family (best of
    ``repeat``; (d) reads the id's mask once and ANDs, the others ask each predicate)."""
    out = {}
    fams = list(w.families)
    by_fam: list[list[int]] = [[] for _ in fams]
    for btf_id, fam in w.queries:
        by_fam[fam].append(btf_id)
    ids = by_fam[0]
    # the answers every variant must give (per question, and per id over every family)
    expected_one = sum(1 for i, f in w.queries if table.in_family(i, fams[f]))
    expected_every = sum(table.in_family(i, f) for i in ids for f in fams)
    for name, preds in python_variants(w, table).items():
        for btf_id, fam in w.queries:  # every variant answers like the compiled table
            assert preds[fam](btf_id) == table.in_family(btf_id, fams[fam]), (name, btf_id)

        def one(preds: list[Callable[[int], bool]] = preds) -> int:
            acc = 0
            for fam, fam_ids in enumerate(by_fam):
                pred = preds[fam]
                for btf_id in fam_ids:
                    acc += pred(btf_id)
            return acc

        if name == "in_family":  # the bound method called directly, no wrapper frame
            def one(method: Callable[[int, Family], bool] = table.in_family) -> int:
                acc = 0
                for fam, fam_ids in enumerate(by_fam):
                    family = fams[fam]
                    for btf_id in fam_ids:
                        acc += method(btf_id, family)
                return acc

            def every(method: Callable[[int, Family], bool] = table.in_family) -> int:
                acc = 0
                for btf_id in ids:
                    for family in fams:
                        acc += method(btf_id, family)
                return acc
        elif name == "bit mask":
            bits = [int(f) for f in fams]

            def every(mask_of: Callable[[int], int] = table.family_mask,
                      bits: list[int] = bits) -> int:
                acc = 0
                for btf_id in ids:
                    mask = mask_of(btf_id)
                    for bit in bits:
                        acc += mask & bit != 0
                return acc
        else:
            def every(preds: list[Callable[[int], bool]] = preds) -> int:
                acc = 0
                for btf_id in ids:
                    for pred in preds:
                        acc += pred(btf_id)
                return acc

        assert one() == expected_one, name
        assert every() == expected_every, name
        t_one = min(timeit.repeat(one, number=1, repeat=repeat)) / len(w.queries) * 1e9
        t_all = min(timeit.repeat(every, number=1, repeat=repeat)) / len(ids) * 1e9
        out[name] = (t_one, t_all)
    return out


# ---- C ----


def c_source(w: Workload) -> str:
    """The C harness: the four variants generated from the workload's table."""
    nf = len(w.families)
    out = ["#include <stdio.h>", "#include <stdlib.h>", "#include <time.h>",
           "typedef unsigned int u32; typedef unsigned long long u64;",
           f"#define NSPECIAL {len(w.special_ids)}", f"#define NFAM {nf}",
           "static u32 special_kfunc_list[NSPECIAL];  /* filled at run time */", ""]
    for i, mem in enumerate(w.members):  # (a)
        chain = " ||\n\t       ".join(f"btf_id == special_kfunc_list[{idx}]" for idx in mem)
        out.append(f"static inline int is_fam{i}(u32 btf_id)\n{{\n\treturn {chain or '0'};\n}}")
    out.append("__attribute__((noinline)) static int q_chain(u32 id, int fam)\n{\n\tswitch (fam) {")
    out += [f"\tcase {i}: return is_fam{i}(id);" for i in range(nf)]
    out.append("\t}\n\treturn 0;\n}\n")
    for i, mem in enumerate(w.members):  # (b)
        out.append(f"static const int tab{i}[] = {{{', '.join(map(str, mem)) or '-1'}}};")
    out.append("static const int *const tabs[NFAM] = {"
               + ", ".join(f"tab{i}" for i in range(nf)) + "};")
    out.append("static const int tab_len[NFAM] = {"
               + ", ".join(str(len(m)) for m in w.members) + "};")
    out.append("""__attribute__((noinline)) static int q_linear(u32 id, int fam)
{
	const int *t = tabs[fam];
	for (int i = 0; i < tab_len[fam]; i++)
		if (id == special_kfunc_list[t[i]])
			return 1;
	return 0;
}
""")
    out.append("__attribute__((noinline)) static int a_chain(u32 id)\n{\n\treturn "
               + " + ".join(f"is_fam{i}(id)" for i in range(nf)) + ";\n}\n")
    out.append("""static u32 sorted_ids[NFAM][NSPECIAL];
static int sorted_len[NFAM];
static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;
	return x < y ? -1 : x > y;
}
__attribute__((noinline)) static int q_bsearch(u32 id, int fam)
{
	const u32 *ids = sorted_ids[fam];
	int lo = 0, hi = sorted_len[fam];
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (ids[mid] < id) lo = mid + 1; else hi = mid;
	}
	return lo < sorted_len[fam] && ids[lo] == id;
}
""")
    size = 1
    while size < 2 * max(len(w.masks), 1):
        size *= 2
    out.append(f"#define HBITS {size.bit_length() - 1}")
    out.append("""static u32 hkey[1 << HBITS];
static u64 hmask[1 << HBITS];
static inline u32 hslot(u32 id) { return (id * 2654435761u) >> (32 - HBITS); }
static void hput(u32 id, u64 mask)
{
	u32 s = hslot(id);
	while (hkey[s] && hkey[s] != id) s = (s + 1) & ((1 << HBITS) - 1);
	hkey[s] = id; hmask[s] |= mask;
}
__attribute__((noinline)) static int q_mask(u32 id, int fam)
{
	u32 s = hslot(id);
	while (hkey[s]) {
		if (hkey[s] == id) return (hmask[s] >> fam) & 1;
		s = (s + 1) & ((1 << HBITS) - 1);
	}
	return 0;
}

__attribute__((noinline)) static int a_linear(u32 id)
{
	int n = 0;
	for (int f = 0; f < NFAM; f++) n += q_linear(id, f);
	return n;
}
__attribute__((noinline)) static int a_bsearch(u32 id)
{
	int n = 0;
	for (int f = 0; f < NFAM; f++) n += q_bsearch(id, f);
	return n;
}
__attribute__((noinline)) static int a_mask(u32 id)
{
	u32 s = hslot(id);
	u64 m = 0;
	while (hkey[s]) {
		if (hkey[s] == id) { m = hmask[s]; break; }
		s = (s + 1) & ((1 << HBITS) - 1);
	}
	return __builtin_popcountll(m);  /* the mask answers every family question at once */
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	FILE *in = fopen(argv[1], "r");
	int nq, reps = atoi(argv[2]);
	if (!in) return 2;
	for (int i = 0; i < NSPECIAL; i++) if (fscanf(in, "%u", &special_kfunc_list[i]) != 1) return 2;
	for (int f = 0; f < NFAM; f++)
		for (int i = 0; i < tab_len[f]; i++) {
			u32 id = special_kfunc_list[tabs[f][i]];
			sorted_ids[f][sorted_len[f]++] = id;
			hput(id, 1ull << f);
		}
	for (int f = 0; f < NFAM; f++) qsort(sorted_ids[f], sorted_len[f], sizeof(u32), cmp_u32);
	if (fscanf(in, "%d", &nq) != 1) return 2;
	u32 *qid = malloc(nq * sizeof(u32)); int *qfam = malloc(nq * sizeof(int));
	for (int i = 0; i < nq; i++) if (fscanf(in, "%u %d", &qid[i], &qfam[i]) != 2) return 2;
	int (*fns[4])(u32, int) = {q_chain, q_linear, q_bsearch, q_mask};
	long long sums[4];
	for (int v = 0; v < 4; v++) {
		double best = 1e30; long long acc = 0;
		for (int r = 0; r < reps; r++) {
			double t0 = now();
			for (int i = 0; i < nq; i++) acc += fns[v](qid[i], qfam[i]);
			double t = now() - t0;
			if (t < best) best = t;
		}
		sums[v] = acc / reps;
		printf("%.3f\\n", best / nq);
	}
	int (*alls[4])(u32) = {a_chain, a_linear, a_bsearch, a_mask};
	int nid = nq / NFAM;  /* the first nid queries' ids: the distinct ids, shuffled */
	u32 *ids = malloc(nid * sizeof(u32)); int k = 0;
	for (int i = 0; i < nq && k < nid; i++) if (qfam[i] == 0) ids[k++] = qid[i];
	for (int v = 0; v < 4; v++) {
		double best = 1e30; long long acc = 0;
		for (int r = 0; r < reps; r++) {
			double t0 = now();
			for (int i = 0; i < k; i++) acc += alls[v](ids[i]);
			double t = now() - t0;
			if (t < best) best = t;
		}
		if (acc / reps != sums[0])
			return fprintf(stderr, "all-families variant %d disagrees\\n", v), 1;
		printf("%.3f\\n", best / k);
	}
	for (int v = 1; v < 4; v++)
		if (sums[v] != sums[0])
			return fprintf(stderr, "variant %d disagrees\\n", v), 1;
	printf("%lld\\n", sums[0]);
	return 0;
}
""")
    return "\n".join(out)


def time_c(
    w: Workload, repeat: int, keep: Path | None
) -> dict[str, tuple[float, float]] | None:
    """Per C variant: ns per query and ns per id answering every family; None without gcc."""
    gcc = shutil.which("gcc")
    if gcc is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src, exe, data = Path(tmp, "lookup.c"), Path(tmp, "lookup"), Path(tmp, "ids.txt")
        text = c_source(w)
        src.write_text(text)
        if keep is not None:
            keep.write_text(text)
        data.write_text(" ".join(map(str, w.special_ids)) + f"\n{len(w.queries)}\n"
                        + "".join(f"{i} {f}\n" for i, f in w.queries))
        subprocess.run([gcc, "-O2", "-o", str(exe), str(src)], check=True)
        lines = subprocess.run([str(exe), str(data), str(repeat * 20)], check=True,
                               capture_output=True, text=True).stdout.split()
    expected = sum(1 for i, f in w.queries if w.masks.get(i, 0) >> f & 1)
    assert int(lines[8]) == expected, "C results disagree with the table"
    vals = list(map(float, lines[:8]))
    return {v: (vals[i], vals[4 + i]) for i, v in enumerate(VARIANTS)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel-btf", default="",
                    help="kernel BTF (default: the embedded profile's)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep-c", type=Path, default=None, help="also write the generated C here")
    args = ap.parse_args()
    table = load_profile(args.kernel_btf or None).table
    w = workload(table)
    py = time_python(w, table, args.repeat)
    c = time_c(w, args.repeat, args.keep_c)
    print(f"{table.profile}: {len(table)} kfuncs, {len(w.families)} families, "
          f"{len(w.queries)} queries ({len(table)} kfunc ids + as many other ids, x families)")
    print("one: ns per (id, family) question; all: ns per id answering every family "
          "(one kfunc call's worth); ratios are to (a)")
    head = f"{'variant':<31}{'Py one':>8}{'ratio':>7}{'Py all':>9}{'ratio':>7}"
    print(head + f"{'C one':>8}{'ratio':>7}{'C all':>8}{'ratio':>7}")
    a_py, a_c = py[VARIANTS[0]], c[VARIANTS[0]] if c else None
    for name in VARIANTS + PY_ONLY:
        one, every = py[name]
        row = f"{LABELS[name]:<31}{one:>8.1f}{one / a_py[0]:>7.2f}{every:>9.0f}"
        row += f"{every / a_py[1]:>7.2f}"
        if c and a_c and name in c:
            cone, call = c[name]
            row += f"{cone:>8.2f}{cone / a_c[0]:>7.2f}{call:>8.1f}{call / a_c[1]:>7.2f}"
        print(row.rstrip())
    if c is None:
        print("C: skipped (gcc not installed)")


if __name__ == "__main__":
    main()
