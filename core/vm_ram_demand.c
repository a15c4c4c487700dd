// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest RAM zeroed and mapped on first use (CONFIG_VMn_RAM_ON_DEMAND). The VM's RAM is allocated
 * at creation as always (a VM never fails later for want of memory), but stage 2 maps none of it:
 * the guest's first access to a 2 MiB block faults, and the block is zeroed, mapped and the access
 * run again. Tern's own accesses on the guest's behalf (loading images, virtio buffers, the host
 * disk's DMA) prepare the blocks they touch first, so nothing of a block's previous use is ever
 * read, by the guest or for it; what they write into a block not yet ready (a kernel image, a
 * whole block of a disk read) is written while the block is prepared instead of after zeroing. A VM
 * started on QEMU no longer makes the host back (and clear) every page of its RAM before the guest
 * runs: RAM the guest never touches stays unbacked.
 *
 * One bit per block, set once under vm->ram_lock after the block is zeroed and mapped, read
 * without the lock (acquire) on the paths that only need to know the block is ready.
 */
#include <asm/cache.h>
#include <asm/stage2.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/page_alloc.h>
#include <tern/printk.h>
#include <tern/vm.h>
#include <string.h>

#define VM_RAM_BLOCK_SHIFT 21
#define VM_RAM_BLOCK	   (1ULL << VM_RAM_BLOCK_SHIFT)

static unsigned int vm_ram_ready_order(u64 ram_size)
{
	u64 bytes = (ram_size + 64 * VM_RAM_BLOCK - 1) / (64 * VM_RAM_BLOCK) * 8;
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

/*
 * The stage-2 tables of every RAM chunk are made now, as the first touches will map it (2 MiB
 * blocks, or their pages): a first touch only writes entries, it never waits for or fails an
 * allocation, and a VM's memory is what it took at creation.
 */
__cold int vm_ram_demand_init(struct vm *vm)
{
	spin_lock_init(&vm->ram_lock);
	for (unsigned int i = 0; i < vm->nr_ram_chunks; i++) {
		const struct vm_ram_chunk *c = &vm->ram[i];
		int rc = stage2_reserve(&vm->s2, c->ipa, c->pa, c->size, VM_RAM_BLOCK);

		if (rc)
			return rc;
	}
	vm->ram_ready = page_zalloc(vm_ram_ready_order(vm->ram_size));
	return vm->ram_ready ? 0 : -TERN_ENOMEM;
}

__cold void vm_ram_demand_free(struct vm *vm)
{
	if (vm->ram_ready)
		page_free((paddr_t)vm->ram_ready, vm_ram_ready_order(vm->ram_size));
	vm->ram_ready = NULL;
}

static bool vm_ram_block_ready(const struct vm *vm, u64 b)
{
	return __atomic_load_n(&vm->ram_ready[b / 64], __ATOMIC_ACQUIRE) & (1ULL << (b % 64));
}

/*
 * What a caller writes into a block while it is prepared (vm_ram_prepare_fill()): that part is
 * written instead of zeroed first, under the lock, before the block is mapped and marked ready.
 */
struct vm_ram_fill {
	ipa_t ipa;
	u64 len;
	const u8 *src; /* NULL: zeroes */
};

/* Zero [pa, pa + n) of guest RAM at @ipa, except what @f copies there. */
static void vm_ram_fill_piece(paddr_t pa, ipa_t ipa, u64 n, const struct vm_ram_fill *f)
{
	ipa_t s = f ? MAX(ipa, f->ipa) : ipa, e = f ? MIN(ipa + n, f->ipa + f->len) : ipa;

	if (!f || !f->src || s >= e) {
		/* Nothing of its previous use may reach a guest that reads with caches off. */
		dcache_zero_range(pa, pa + n);
		return;
	}
	dcache_zero_range(pa, pa + (s - ipa));
	/*
	 * Cleaned whoever asked, as the zeroes around it: memory under a block not yet ready holds
	 * its previous owner's bytes, which a guest reading past its caches (another vCPU with them
	 * off, a Non-cacheable alias) must never see once it is mapped.
	 */
	memcpy((void *)(pa + (s - ipa)), f->src + (s - f->ipa), e - s);
	dcache_clean_range(pa + (s - ipa), pa + (e - ipa));
	dcache_zero_range(pa + (e - ipa), pa + n);
}

/*
 * Zero (or fill, @f) and map block @b, piece by host-contiguous piece. If stage 2 runs out of
 * table memory the pieces mapped so far are unmapped again: the block stays unready as a whole,
 * so a later attempt never zeroes what the guest already wrote. 1 when this call prepared it,
 * 0 when it was ready already.
 */
static int vm_ram_prepare_block(struct vm *vm, u64 b, const struct vm_ram_fill *f)
{
	ipa_t start = GUEST_RAM_BASE + (b << VM_RAM_BLOCK_SHIFT);
	ipa_t end = MIN(start + VM_RAM_BLOCK, GUEST_RAM_BASE + vm->ram_size);
	int rc = 0;

	spin_lock(&vm->ram_lock);
	/* Another pCPU may have prepared it while this one waited for the lock. */
	if (!vm_ram_block_ready(vm, b)) {
		for (ipa_t ipa = start; ipa < end && !rc;) {
			u64 contig;
			paddr_t pa = vm_ipa_to_pa(vm, ipa, &contig);
			u64 n = MIN(contig, end - ipa);

			vm_ram_fill_piece(pa, ipa, n, f);
			rc = stage2_map(&vm->s2, ipa, pa, n, S2_NORMAL_RW);
			if (rc && ipa > start)
				stage2_unmap(&vm->s2, start, ipa - start);
			ipa += n;
		}
		if (!rc) {
			__atomic_store_n(&vm->ram_ready[b / 64],
					 vm->ram_ready[b / 64] | (1ULL << (b % 64)),
					 __ATOMIC_RELEASE);
			rc = 1;
		}
	}
	spin_unlock(&vm->ram_lock);
	return rc;
}

int vm_ram_prepare_blocks(struct vm *vm, ipa_t ipa, u64 len)
{
	if (!len)
		return 0;
	for (u64 b = (ipa - GUEST_RAM_BASE) >> VM_RAM_BLOCK_SHIFT,
		 last = (ipa + len - 1 - GUEST_RAM_BASE) >> VM_RAM_BLOCK_SHIFT;
	     b <= last; b++) {
		int rc = vm_ram_block_ready(vm, b) ? 0 : vm_ram_prepare_block(vm, b, NULL);

		if (rc < 0)
			return rc;
	}
	return 0;
}

int vm_ram_prepare_fill(struct vm *vm, ipa_t ipa, u64 *len, const u8 *src)
{
	u64 b = (ipa - GUEST_RAM_BASE) >> VM_RAM_BLOCK_SHIFT;
	struct vm_ram_fill f;

	*len = MIN(*len, VM_RAM_BLOCK - ((ipa - GUEST_RAM_BASE) & (VM_RAM_BLOCK - 1)));
	if (vm_ram_block_ready(vm, b))
		return 0;
	f = (struct vm_ram_fill){ ipa, *len, src };
	return vm_ram_prepare_block(vm, b, &f);
}

bool vm_ram_fault(struct vm *vm, ipa_t ipa)
{
	int rc;

	if (!vm->ram_ready || !vm_ipa_in_ram(vm, ipa, 1))
		return false;
	rc = vm_ram_prepare(vm, ipa, 1);
	if (rc)
		pr_err("vm%u: RAM at IPA 0x%llx not mapped: %s\n", vm->id, (unsigned long long)ipa,
		       tern_strerror(rc));
	return !rc;
}
