#include "isa.h"

/* Instructions clang does not choose on its own, written as BPF inline assembly. */
SEC("socket")
int inline_forms(void *ctx)
{
	u64 a = RAND64(), r = 0;
	u32 w = RAND32();

	asm volatile goto("if %0 & 0x10 goto %l[set1]" :: "r"(a) :: set1);
	r += 1;
set1:
	asm volatile goto("if %0 & %1 goto %l[set2]" :: "r"(a), "r"(r) :: set2);
	r += 2;
set2:
	asm volatile goto("if %0 & 0x7 goto %l[set3]" :: "w"(w) :: set3);
	r += 3;
set3:
	asm volatile goto("gotol %l[far]" :::: far);
	r += 4;
far:
	asm volatile("%0 = -1 ll" : "=r"(a));
	asm volatile("%0 = 0x1122334455667788 ll" : "=r"(r) : "0"(r));
	asm volatile("%0 = le16 %0; %0 = le32 %0; %0 = le64 %0" : "+r"(a));
	asm volatile("%0 = -%0" : "+r"(a));
	asm volatile("%0 = -%0" : "+w"(w));
	asm volatile("%0 s%%= %1" : "+r"(a) : "r"(r));
	asm volatile("%0 s%%= %1" : "+w"(w) : "w"((u32)r));
	asm volatile("%0 s/= -3" : "+w"(w));
	return (int)(r + a + w);
}
