#include <stdio.h>
#include <stdlib.h>
#include <time.h>
typedef unsigned int u32; typedef unsigned long long u64;
#define NSPECIAL 49
#define NFAM 46
static u32 special_kfunc_list[NSPECIAL];  /* filled at run time */

static inline int is_fam0(u32 btf_id)
{
	return btf_id == special_kfunc_list[0];
}
static inline int is_fam1(u32 btf_id)
{
	return btf_id == special_kfunc_list[26];
}
static inline int is_fam2(u32 btf_id)
{
	return btf_id == special_kfunc_list[1];
}
static inline int is_fam3(u32 btf_id)
{
	return btf_id == special_kfunc_list[27];
}
static inline int is_fam4(u32 btf_id)
{
	return btf_id == special_kfunc_list[2];
}
static inline int is_fam5(u32 btf_id)
{
	return btf_id == special_kfunc_list[3] ||
	       btf_id == special_kfunc_list[4];
}
static inline int is_fam6(u32 btf_id)
{
	return btf_id == special_kfunc_list[3] ||
	       btf_id == special_kfunc_list[4] ||
	       btf_id == special_kfunc_list[5] ||
	       btf_id == special_kfunc_list[6] ||
	       btf_id == special_kfunc_list[7] ||
	       btf_id == special_kfunc_list[8];
}
static inline int is_fam7(u32 btf_id)
{
	return btf_id == special_kfunc_list[3] ||
	       btf_id == special_kfunc_list[4];
}
static inline int is_fam8(u32 btf_id)
{
	return btf_id == special_kfunc_list[14];
}
static inline int is_fam9(u32 btf_id)
{
	return btf_id == special_kfunc_list[13] ||
	       btf_id == special_kfunc_list[14] ||
	       btf_id == special_kfunc_list[15] ||
	       btf_id == special_kfunc_list[16] ||
	       btf_id == special_kfunc_list[17] ||
	       btf_id == special_kfunc_list[18];
}
static inline int is_fam10(u32 btf_id)
{
	return btf_id == special_kfunc_list[13] ||
	       btf_id == special_kfunc_list[14] ||
	       btf_id == special_kfunc_list[17] ||
	       btf_id == special_kfunc_list[18];
}
static inline int is_fam11(u32 btf_id)
{
	return btf_id == special_kfunc_list[2] ||
	       btf_id == special_kfunc_list[3] ||
	       btf_id == special_kfunc_list[4] ||
	       btf_id == special_kfunc_list[5] ||
	       btf_id == special_kfunc_list[6] ||
	       btf_id == special_kfunc_list[7] ||
	       btf_id == special_kfunc_list[8] ||
	       btf_id == special_kfunc_list[13] ||
	       btf_id == special_kfunc_list[14] ||
	       btf_id == special_kfunc_list[15] ||
	       btf_id == special_kfunc_list[16] ||
	       btf_id == special_kfunc_list[17] ||
	       btf_id == special_kfunc_list[18];
}
static inline int is_fam12(u32 btf_id)
{
	return btf_id == special_kfunc_list[13] ||
	       btf_id == special_kfunc_list[14] ||
	       btf_id == special_kfunc_list[15] ||
	       btf_id == special_kfunc_list[16] ||
	       btf_id == special_kfunc_list[17] ||
	       btf_id == special_kfunc_list[18];
}
static inline int is_fam13(u32 btf_id)
{
	return btf_id == special_kfunc_list[37] ||
	       btf_id == special_kfunc_list[38] ||
	       btf_id == special_kfunc_list[39];
}
static inline int is_fam14(u32 btf_id)
{
	return btf_id == special_kfunc_list[42] ||
	       btf_id == special_kfunc_list[44];
}
static inline int is_fam15(u32 btf_id)
{
	return btf_id == special_kfunc_list[43] ||
	       btf_id == special_kfunc_list[45];
}
static inline int is_fam16(u32 btf_id)
{
	return btf_id == special_kfunc_list[42] ||
	       btf_id == special_kfunc_list[43] ||
	       btf_id == special_kfunc_list[44] ||
	       btf_id == special_kfunc_list[45];
}
static inline int is_fam17(u32 btf_id)
{
	return btf_id == special_kfunc_list[2] ||
	       btf_id == special_kfunc_list[3] ||
	       btf_id == special_kfunc_list[4] ||
	       btf_id == special_kfunc_list[5] ||
	       btf_id == special_kfunc_list[6] ||
	       btf_id == special_kfunc_list[7] ||
	       btf_id == special_kfunc_list[8] ||
	       btf_id == special_kfunc_list[13] ||
	       btf_id == special_kfunc_list[14] ||
	       btf_id == special_kfunc_list[15] ||
	       btf_id == special_kfunc_list[16] ||
	       btf_id == special_kfunc_list[17] ||
	       btf_id == special_kfunc_list[18] ||
	       btf_id == special_kfunc_list[37] ||
	       btf_id == special_kfunc_list[38] ||
	       btf_id == special_kfunc_list[39] ||
	       btf_id == special_kfunc_list[42] ||
	       btf_id == special_kfunc_list[43] ||
	       btf_id == special_kfunc_list[44] ||
	       btf_id == special_kfunc_list[45];
}
static inline int is_fam18(u32 btf_id)
{
	return btf_id == special_kfunc_list[35] ||
	       btf_id == special_kfunc_list[44];
}
static inline int is_fam19(u32 btf_id)
{
	return btf_id == special_kfunc_list[36] ||
	       btf_id == special_kfunc_list[45];
}
static inline int is_fam20(u32 btf_id)
{
	return btf_id == special_kfunc_list[11];
}
static inline int is_fam21(u32 btf_id)
{
	return btf_id == special_kfunc_list[12];
}
static inline int is_fam22(u32 btf_id)
{
	return btf_id == special_kfunc_list[30];
}
static inline int is_fam23(u32 btf_id)
{
	return btf_id == special_kfunc_list[31];
}
static inline int is_fam24(u32 btf_id)
{
	return btf_id == special_kfunc_list[9];
}
static inline int is_fam25(u32 btf_id)
{
	return btf_id == special_kfunc_list[9];
}
static inline int is_fam26(u32 btf_id)
{
	return btf_id == special_kfunc_list[10];
}
static inline int is_fam27(u32 btf_id)
{
	return btf_id == special_kfunc_list[19];
}
static inline int is_fam28(u32 btf_id)
{
	return btf_id == special_kfunc_list[20];
}
static inline int is_fam29(u32 btf_id)
{
	return btf_id == special_kfunc_list[21];
}
static inline int is_fam30(u32 btf_id)
{
	return btf_id == special_kfunc_list[19] ||
	       btf_id == special_kfunc_list[20] ||
	       btf_id == special_kfunc_list[21];
}
static inline int is_fam31(u32 btf_id)
{
	return btf_id == special_kfunc_list[25];
}
static inline int is_fam32(u32 btf_id)
{
	return btf_id == special_kfunc_list[24];
}
static inline int is_fam33(u32 btf_id)
{
	return btf_id == special_kfunc_list[23] ||
	       btf_id == special_kfunc_list[24];
}
static inline int is_fam34(u32 btf_id)
{
	return btf_id == special_kfunc_list[22];
}
static inline int is_fam35(u32 btf_id)
{
	return btf_id == special_kfunc_list[28];
}
static inline int is_fam36(u32 btf_id)
{
	return btf_id == special_kfunc_list[46];
}
static inline int is_fam37(u32 btf_id)
{
	return btf_id == special_kfunc_list[29];
}
static inline int is_fam38(u32 btf_id)
{
	return btf_id == special_kfunc_list[47] ||
	       btf_id == special_kfunc_list[48];
}
static inline int is_fam39(u32 btf_id)
{
	return btf_id == special_kfunc_list[14];
}
static inline int is_fam40(u32 btf_id)
{
	return btf_id == special_kfunc_list[29] ||
	       btf_id == special_kfunc_list[47] ||
	       btf_id == special_kfunc_list[48];
}
static inline int is_fam41(u32 btf_id)
{
	return btf_id == special_kfunc_list[14] ||
	       btf_id == special_kfunc_list[29] ||
	       btf_id == special_kfunc_list[47] ||
	       btf_id == special_kfunc_list[48];
}
static inline int is_fam42(u32 btf_id)
{
	return btf_id == special_kfunc_list[32];
}
static inline int is_fam43(u32 btf_id)
{
	return btf_id == special_kfunc_list[33];
}
static inline int is_fam44(u32 btf_id)
{
	return btf_id == special_kfunc_list[34];
}
static inline int is_fam45(u32 btf_id)
{
	return btf_id == special_kfunc_list[40] ||
	       btf_id == special_kfunc_list[41];
}
__attribute__((noinline)) static int q_chain(u32 id, int fam)
{
	switch (fam) {
	case 0: return is_fam0(id);
	case 1: return is_fam1(id);
	case 2: return is_fam2(id);
	case 3: return is_fam3(id);
	case 4: return is_fam4(id);
	case 5: return is_fam5(id);
	case 6: return is_fam6(id);
	case 7: return is_fam7(id);
	case 8: return is_fam8(id);
	case 9: return is_fam9(id);
	case 10: return is_fam10(id);
	case 11: return is_fam11(id);
	case 12: return is_fam12(id);
	case 13: return is_fam13(id);
	case 14: return is_fam14(id);
	case 15: return is_fam15(id);
	case 16: return is_fam16(id);
	case 17: return is_fam17(id);
	case 18: return is_fam18(id);
	case 19: return is_fam19(id);
	case 20: return is_fam20(id);
	case 21: return is_fam21(id);
	case 22: return is_fam22(id);
	case 23: return is_fam23(id);
	case 24: return is_fam24(id);
	case 25: return is_fam25(id);
	case 26: return is_fam26(id);
	case 27: return is_fam27(id);
	case 28: return is_fam28(id);
	case 29: return is_fam29(id);
	case 30: return is_fam30(id);
	case 31: return is_fam31(id);
	case 32: return is_fam32(id);
	case 33: return is_fam33(id);
	case 34: return is_fam34(id);
	case 35: return is_fam35(id);
	case 36: return is_fam36(id);
	case 37: return is_fam37(id);
	case 38: return is_fam38(id);
	case 39: return is_fam39(id);
	case 40: return is_fam40(id);
	case 41: return is_fam41(id);
	case 42: return is_fam42(id);
	case 43: return is_fam43(id);
	case 44: return is_fam44(id);
	case 45: return is_fam45(id);
	}
	return 0;
}

static const int tab0[] = {0};
static const int tab1[] = {26};
static const int tab2[] = {1};
static const int tab3[] = {27};
static const int tab4[] = {2};
static const int tab5[] = {3, 4};
static const int tab6[] = {3, 4, 5, 6, 7, 8};
static const int tab7[] = {3, 4};
static const int tab8[] = {14};
static const int tab9[] = {13, 14, 15, 16, 17, 18};
static const int tab10[] = {13, 14, 17, 18};
static const int tab11[] = {2, 3, 4, 5, 6, 7, 8, 13, 14, 15, 16, 17, 18};
static const int tab12[] = {13, 14, 15, 16, 17, 18};
static const int tab13[] = {37, 38, 39};
static const int tab14[] = {42, 44};
static const int tab15[] = {43, 45};
static const int tab16[] = {42, 43, 44, 45};
static const int tab17[] = {2, 3, 4, 5, 6, 7, 8, 13, 14, 15, 16, 17, 18, 37, 38, 39, 42, 43, 44, 45};
static const int tab18[] = {35, 44};
static const int tab19[] = {36, 45};
static const int tab20[] = {11};
static const int tab21[] = {12};
static const int tab22[] = {30};
static const int tab23[] = {31};
static const int tab24[] = {9};
static const int tab25[] = {9};
static const int tab26[] = {10};
static const int tab27[] = {19};
static const int tab28[] = {20};
static const int tab29[] = {21};
static const int tab30[] = {19, 20, 21};
static const int tab31[] = {25};
static const int tab32[] = {24};
static const int tab33[] = {23, 24};
static const int tab34[] = {22};
static const int tab35[] = {28};
static const int tab36[] = {46};
static const int tab37[] = {29};
static const int tab38[] = {47, 48};
static const int tab39[] = {14};
static const int tab40[] = {29, 47, 48};
static const int tab41[] = {14, 29, 47, 48};
static const int tab42[] = {32};
static const int tab43[] = {33};
static const int tab44[] = {34};
static const int tab45[] = {40, 41};
static const int *const tabs[NFAM] = {tab0, tab1, tab2, tab3, tab4, tab5, tab6, tab7, tab8, tab9, tab10, tab11, tab12, tab13, tab14, tab15, tab16, tab17, tab18, tab19, tab20, tab21, tab22, tab23, tab24, tab25, tab26, tab27, tab28, tab29, tab30, tab31, tab32, tab33, tab34, tab35, tab36, tab37, tab38, tab39, tab40, tab41, tab42, tab43, tab44, tab45};
static const int tab_len[NFAM] = {1, 1, 1, 1, 1, 2, 6, 2, 1, 6, 4, 13, 6, 3, 2, 2, 4, 20, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 1, 1, 2, 1, 1, 1, 1, 2, 1, 3, 4, 1, 1, 1, 2};
__attribute__((noinline)) static int q_linear(u32 id, int fam)
{
	const int *t = tabs[fam];
	for (int i = 0; i < tab_len[fam]; i++)
		if (id == special_kfunc_list[t[i]])
			return 1;
	return 0;
}

__attribute__((noinline)) static int a_chain(u32 id)
{
	return is_fam0(id) + is_fam1(id) + is_fam2(id) + is_fam3(id) + is_fam4(id) + is_fam5(id) + is_fam6(id) + is_fam7(id) + is_fam8(id) + is_fam9(id) + is_fam10(id) + is_fam11(id) + is_fam12(id) + is_fam13(id) + is_fam14(id) + is_fam15(id) + is_fam16(id) + is_fam17(id) + is_fam18(id) + is_fam19(id) + is_fam20(id) + is_fam21(id) + is_fam22(id) + is_fam23(id) + is_fam24(id) + is_fam25(id) + is_fam26(id) + is_fam27(id) + is_fam28(id) + is_fam29(id) + is_fam30(id) + is_fam31(id) + is_fam32(id) + is_fam33(id) + is_fam34(id) + is_fam35(id) + is_fam36(id) + is_fam37(id) + is_fam38(id) + is_fam39(id) + is_fam40(id) + is_fam41(id) + is_fam42(id) + is_fam43(id) + is_fam44(id) + is_fam45(id);
}

static u32 sorted_ids[NFAM][NSPECIAL];
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

#define HBITS 7
static u32 hkey[1 << HBITS];
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
		printf("%.3f\n", best / nq);
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
			return fprintf(stderr, "all-families variant %d disagrees\n", v), 1;
		printf("%.3f\n", best / k);
	}
	for (int v = 1; v < 4; v++)
		if (sums[v] != sums[0])
			return fprintf(stderr, "variant %d disagrees\n", v), 1;
	printf("%lld\n", sums[0]);
	return 0;
}
