/* a const volatile .rodata port table, set by the loader, read with a bounded index: accept */
#include "corpus.h"

#define TC_ACT_OK 0
#define MAX_PORTS 8

const volatile u16 blocked_ports[MAX_PORTS] = { 23, 135, 139, 445 };
const volatile u32 nr_blocked = 4;

SEC("tc")
int rodata_config_table(struct __sk_buff *skb)
{
	u16 port = skb->cb[0];

	for (u32 i = 0; i < MAX_PORTS && i < nr_blocked; i++)
		if (blocked_ports[i] == port)
			return 2;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
