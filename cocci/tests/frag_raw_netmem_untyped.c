// SPDX-License-Identifier: GPL-2.0
/*
 * A driver's own structures with a netmem member, or frags of a structure
 * whose type the rule cannot see: never converted; ->frags[].netmem of an
 * unknown type is reported.
 */

struct my_frag {
	netmem_ref netmem;
	unsigned int len;
};

struct my_ring {
	struct my_frag frags[4];
	netmem_ref netmem;
};

static netmem_ref own_structs(struct my_ring *r, struct my_frag *f, int i)
{
	r->netmem = f->netmem;
	return r->frags[i].netmem + f[1].netmem;
}

static netmem_ref record_frag(struct tls_record_info *record, int i)
{
	return record->frags[i].netmem;
}
