// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cache maintenance of guest RAM (core/vm.c, core/vm_load.c). The data-cache operations of
 * asm/cache.h are fakes that record each range with a sequence number and check, when called,
 * what the range holds: a clean must come after the bytes it cleans were written (so it checks
 * the final contents), a clean+invalidate before Tern reads (the fake "discards" Tern's stale
 * view by copying the memory's contents in, which the read must then see).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <asm/cache.h>
#include <asm/tlb.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <asm/el1_hw.h>
#include <tern/page_alloc.h>
#include <tern/percpu.h>
#include <tern/vm.h>
#include "stub_printk.h"
#include "unit_helpers.h"

/* What the stage-2 code (vm_alloc_ram maps RAM) reads: 48-bit PA; its TLB stand-in counts. */
u64 unit_id_aa64mmfr0 = 5;
/* The loaded vCPU's SCTLR_EL1 (vm_io_*: its caches on or off). */
struct unit_el1 unit_el1;
struct unit_tlb_stats unit_tlb;

/* ---- fakes of what vm.c calls beyond RAM ---- */

void console_write_raw(const char *s, size_t len)
{
	(void)s;
	(void)len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	(void)fmt;
	if (size)
		buf[0] = '\0';
	return 0;
}

void sched_stop_vcpu(struct vcpu *vcpu, enum vcpu_state state)
{
	(void)vcpu;
	(void)state;
}

void sched_kick_all(void)
{
}

void sched_exit_guest(struct vcpu *vcpu)
{
	(void)vcpu;
}

void vdev_stop_all(struct vm *vm)
{
	(void)vm;
}

/* ---- the recording cache ---- */

enum cmo {
	CMO_CLEAN,
	CMO_INVAL,
	CMO_CLEAN_INVAL,
	CMO_ICACHE
};

struct cmo_rec {
	enum cmo op;
	paddr_t start, end;
};

#define MAX_RECS 4096
static struct cmo_rec recs[MAX_RECS];
static unsigned int nr_recs;
/* When set, a clean checks that its range holds these bytes (what was just written). */
static const u8 *expect_src;
static paddr_t expect_base;
/* Memory as a guest with caches off sees it: clean+invalidate makes Tern see it too. */
static u8 *backing;
static paddr_t backing_base;
static size_t backing_size;

static void record(enum cmo op, paddr_t start, paddr_t end)
{
	assert_true(nr_recs < MAX_RECS);
	recs[nr_recs++] = (struct cmo_rec){ op, start, end };
}

void dcache_clean_range(paddr_t start, paddr_t end)
{
	record(CMO_CLEAN, start, end);
	if (expect_src)
		assert_memory_equal((void *)start, expect_src + (start - expect_base), end - start);
}

void dcache_inval_range(paddr_t start, paddr_t end)
{
	record(CMO_INVAL, start, end);
}

void dcache_clean_inval_range(paddr_t start, paddr_t end)
{
	record(CMO_CLEAN_INVAL, start, end);
	if (backing && start >= backing_base && end <= backing_base + backing_size)
		memcpy((void *)start, backing + (start - backing_base), end - start);
}

/* What arm64's DC ZVA loop does (the guest zeroram checks the real one under Tern). */
void dcache_zero_range(paddr_t start, paddr_t end)
{
	memset((void *)start, 0, end - start);
	record(CMO_CLEAN, start, end);
}

void icache_inval_all(void)
{
	record(CMO_ICACHE, 0, 0);
}

/* Every byte of [start, end) is inside a recorded @op range. */
static bool covered(enum cmo op, paddr_t start, paddr_t end)
{
	for (paddr_t a = start; a < end; a++) {
		bool in = false;

		for (unsigned int i = 0; i < nr_recs && !in; i++)
			in = recs[i].op == op && a >= recs[i].start && a < recs[i].end;
		if (!in)
			return false;
	}
	return true;
}

/* ---- a VM whose RAM is two host chunks, the second not after the first ---- */

#define CHUNK (64UL << 10)
static struct vm vm;
static u8 *chunk[2];

static int setup(void **state)
{
	(void)state;
	memset(&vm, 0, sizeof(vm));
	memset(&unit_el1, 0, sizeof(unit_el1));
	this_pcpu()->current_vcpu = NULL;
	nr_recs = 0;
	expect_src = NULL;
	backing = NULL;
	chunk[0] = aligned_alloc(4096, CHUNK);
	chunk[1] = aligned_alloc(4096, CHUNK);
	memset(chunk[0], 0xAA, CHUNK);
	memset(chunk[1], 0xAA, CHUNK);
	/* Reversed on the host: guest-contiguous, host-discontiguous. */
	vm.ram[0] = (struct vm_ram_chunk){ (paddr_t)chunk[1], GUEST_RAM_BASE, CHUNK };
	vm.ram[1] = (struct vm_ram_chunk){ (paddr_t)chunk[0], GUEST_RAM_BASE + CHUNK, CHUNK };
	vm.nr_ram_chunks = 2;
	vm.ram_size = 2 * CHUNK;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(chunk[0]);
	free(chunk[1]);
	return 0;
}

static paddr_t host_of(ipa_t ipa)
{
	u64 off = ipa - GUEST_RAM_BASE;

	return off < CHUNK ? (paddr_t)chunk[1] + off : (paddr_t)chunk[0] + off - CHUNK;
}

/* [ipa, ipa + len) cleaned with @op, in host terms, across the chunk boundary. */
static bool guest_range_covered(enum cmo op, ipa_t ipa, u64 len)
{
	ipa_t end = ipa + len, mid = GUEST_RAM_BASE + CHUNK;

	if (ipa < mid && !covered(op, host_of(ipa), host_of(MIN(end, mid) - 1) + 1))
		return false;
	return end <= mid || covered(op, host_of(MAX(ipa, mid)), host_of(end - 1) + 1);
}

static void test_copy_to_guest_cleans_what_it_wrote(void **state)
{
	u8 src[300];
	ipa_t dst = GUEST_RAM_BASE + CHUNK - 100; /* straddles the chunks */

	(void)state;
	for (unsigned int i = 0; i < sizeof(src); i++)
		src[i] = (u8)(i * 7 + 1);
	assert_int_equal(vm_copy_to_guest(&vm, dst, src, sizeof(src)), 0);
	assert_true(guest_range_covered(CMO_CLEAN, dst, sizeof(src)));
	assert_memory_equal((void *)host_of(dst), src, 100);
	assert_memory_equal((void *)host_of(dst + 100), src + 100, 200);
	/* Cleans came after the copies: the last clean is the last record. */
	assert_int_equal(recs[nr_recs - 1].op, CMO_CLEAN);
}

static void test_clean_after_write(void **state)
{
	u8 src[256];
	ipa_t dst = GUEST_RAM_BASE + 0x1000;

	(void)state;
	memset(src, 0x5C, sizeof(src));
	expect_src = src;
	expect_base = host_of(dst);
	assert_int_equal(vm_copy_to_guest(&vm, dst, src, sizeof(src)), 0);
	assert_int_equal(nr_recs, 1);
	assert_true(guest_range_covered(CMO_CLEAN, dst, sizeof(src)));
}

static void test_zero_cleans(void **state)
{
	static const u8 zeros[CHUNK];
	ipa_t dst = GUEST_RAM_BASE + CHUNK - 0x800;

	(void)state;
	assert_int_equal(vm_zero_guest(&vm, dst, 0x1000), 0);
	assert_true(guest_range_covered(CMO_CLEAN, dst, 0x1000));
	assert_memory_equal((void *)host_of(dst), zeros, 0x800);
	assert_memory_equal((void *)host_of(dst + 0x800), zeros, 0x800);
}

/* A guest with caches off wrote memory under a stale line of Tern's: the read sees memory. */
static void test_copy_from_guest_invalidates_first(void **state)
{
	u8 out[64], mem[CHUNK];
	ipa_t src = GUEST_RAM_BASE + 0x2000;

	(void)state;
	memset(mem, 0x77, sizeof(mem));
	backing = mem;
	backing_base = (paddr_t)chunk[1];
	backing_size = CHUNK;
	assert_int_equal(vm_copy_from_guest(&vm, out, src, sizeof(out)), 0);
	assert_true(guest_range_covered(CMO_CLEAN_INVAL, src, sizeof(out)));
	for (unsigned int i = 0; i < sizeof(out); i++)
		assert_int_equal(out[i], 0x77);
}

/*
 * A device's copies (vm_io_*) for a loaded vCPU of the VM with its MMU and data cache on: its
 * view is as coherent as Tern's, no maintenance. With either off, with no vCPU loaded or another
 * VM's, the same maintenance as vm_copy_*.
 */
static void test_io_copies_for_a_cached_vcpu(void **state)
{
	static const u64 sctlr[] = { 0x5, 0x1, 0x4, 0x0 }; /* M|C, M, C, neither */
	struct vm other = { 0 };
	struct vcpu mine = { .vm = &vm }, theirs = { .vm = &other };
	ipa_t at = GUEST_RAM_BASE + CHUNK - 100; /* straddles the chunks */
	u8 src[300], out[300], mem[CHUNK];

	(void)state;
	for (unsigned int i = 0; i < sizeof(src); i++)
		src[i] = (u8)(i * 5 + 3);
	for (unsigned int k = 0; k < ARRAY_SIZE(sctlr); k++) {
		bool on = k == 0;

		unit_el1.sctlr = sctlr[k];
		this_pcpu()->current_vcpu = &mine;
		nr_recs = 0;
		assert_int_equal(vm_io_to_guest(&vm, at, src, sizeof(src)), 0);
		assert_memory_equal((void *)host_of(at), src, 100);
		assert_memory_equal((void *)host_of(at + 100), src + 100, 200);
		assert_int_equal(nr_recs == 0, on);
		assert_int_equal(guest_range_covered(CMO_CLEAN, at, sizeof(src)), !on);
		nr_recs = 0;
		memset(out, 0, sizeof(out));
		assert_int_equal(vm_io_from_guest(&vm, out, at, sizeof(out)), 0);
		assert_memory_equal(out, src, sizeof(src));
		assert_int_equal(nr_recs == 0, on);
		assert_int_equal(guest_range_covered(CMO_CLEAN_INVAL, at, sizeof(out)), !on);
	}
	/* Caches on, but not this VM's vCPU, or none loaded: maintained. */
	unit_el1.sctlr = 0x5;
	for (unsigned int k = 0; k < 2; k++) {
		this_pcpu()->current_vcpu = k ? NULL : &theirs;
		nr_recs = 0;
		assert_int_equal(vm_io_to_guest(&vm, at, src, sizeof(src)), 0);
		assert_true(guest_range_covered(CMO_CLEAN, at, sizeof(src)));
	}
	/* vm_copy_* (image loading: the guest may restart with its caches off) always maintain. */
	this_pcpu()->current_vcpu = &mine;
	nr_recs = 0;
	assert_int_equal(vm_copy_to_guest(&vm, at, src, sizeof(src)), 0);
	assert_true(guest_range_covered(CMO_CLEAN, at, sizeof(src)));
	memset(mem, 0x77, sizeof(mem));
	backing = mem;
	backing_base = (paddr_t)chunk[1];
	backing_size = CHUNK;
	assert_int_equal(vm_copy_from_guest(&vm, out, GUEST_RAM_BASE, 64), 0);
	assert_int_equal(out[0], 0x77);
	this_pcpu()->current_vcpu = NULL;
}

static void test_sync_helpers(void **state)
{
	ipa_t ipa = GUEST_RAM_BASE + CHUNK - 64;

	(void)state;
	assert_int_equal(vm_sync_for_guest(&vm, ipa, 128), 0);
	assert_true(guest_range_covered(CMO_CLEAN, ipa, 128));
	assert_false(guest_range_covered(CMO_CLEAN_INVAL, ipa, 128));
	nr_recs = 0;
	assert_int_equal(vm_sync_for_tern(&vm, ipa, 128), 0);
	assert_true(guest_range_covered(CMO_CLEAN_INVAL, ipa, 128));
	assert_false(guest_range_covered(CMO_CLEAN, ipa, 128));
	/* Outside RAM: refused, nothing done. */
	nr_recs = 0;
	assert_int_equal(vm_sync_for_guest(&vm, GUEST_RAM_BASE + 2 * CHUNK - 8, 16), -TERN_EFAULT);
	assert_int_equal(vm_sync_for_tern(&vm, 0x1000, 16), -TERN_EFAULT);
	assert_int_equal(nr_recs, 0);
}

/* Image segments, BSS, initrd and DTB each cleaned, then the I-caches; again at a reset. */
static void test_load_images(void **state)
{
	static u8 kernel[0x3000], initrd[0x500], dtb[0x200];

	(void)state;
	memset(kernel, 0x11, sizeof(kernel));
	memset(initrd, 0x22, sizeof(initrd));
	memset(dtb, 0x33, sizeof(dtb));
	vm.kernel = (struct vm_image){ (paddr_t)kernel, sizeof(kernel), GUEST_RAM_BASE, 0 };
	vm.layout.nr_segments = 2;
	vm.layout.seg[0] = (struct image_segment){ 0, 0x1000, GUEST_RAM_BASE + 0x1000, 0x1000 };
	/* Second segment straddles the chunks and has 0x1800 bytes of BSS. */
	vm.layout.seg[1] =
	    (struct image_segment){ 0x1000, 0x2000, GUEST_RAM_BASE + CHUNK - 0x1000, 0x3800 };
	vm.initrd = (struct vm_image){ (paddr_t)initrd, sizeof(initrd), GUEST_RAM_BASE + 0x8000,
				       sizeof(initrd) };
	vm.dtb = (struct vm_image){ (paddr_t)dtb, sizeof(dtb), GUEST_RAM_BASE + 2 * CHUNK - 0x1000,
				    sizeof(dtb) };
	for (int run = 0; run < 2; run++) { /* start, then a reset's reload */
		nr_recs = 0;
		assert_int_equal(vm_load_images(&vm), 0);
		assert_true(guest_range_covered(CMO_CLEAN, GUEST_RAM_BASE + 0x1000, 0x1000));
		assert_true(
		    guest_range_covered(CMO_CLEAN, GUEST_RAM_BASE + CHUNK - 0x1000, 0x3800));
		assert_true(guest_range_covered(CMO_CLEAN, vm.initrd.load, sizeof(initrd)));
		assert_true(guest_range_covered(CMO_CLEAN, vm.dtb.load, sizeof(dtb)));
		assert_int_equal(*(u8 *)host_of(GUEST_RAM_BASE + CHUNK + 0x800), 0x11);
		assert_int_equal(*(u8 *)host_of(GUEST_RAM_BASE + CHUNK + 0x2000), 0); /* BSS */
		/* The I-caches last, once everything is in memory. */
		assert_int_equal(recs[nr_recs - 1].op, CMO_ICACHE);
		for (unsigned int i = 0; i + 1 < nr_recs; i++)
			assert_int_not_equal(recs[i].op, CMO_ICACHE);
	}
	/* No DTB (a guest type without one): nothing is copied at IPA 0. */
	vm.dtb = (struct vm_image){ 0 };
	assert_int_equal(vm_load_images(&vm), 0);
}

/* RAM handed to a VM is zeroed and cleaned: the previous owner's bytes never reach it. */
static void test_alloc_ram_cleans_zeroes(void **state)
{
	static u8 zeros[4UL << 20];
	struct vm v;

	(void)state;
	assert_int_equal(unit_arena_create(16UL << 20), 0);
	unit_arena_reset();
	memset(&v, 0, sizeof(v));
	assert_int_equal(stage2_init(&v.s2, 1, 40, true), 0);
	nr_recs = 0;
	assert_int_equal(vm_alloc_ram(&v, 4UL << 20), 0);
	for (unsigned int i = 0; i < v.nr_ram_chunks; i++) {
		assert_true(covered(CMO_CLEAN, v.ram[i].pa, v.ram[i].pa + v.ram[i].size));
		assert_memory_equal((void *)v.ram[i].pa, zeros, v.ram[i].size);
	}
	unit_arena_destroy();
}

static paddr_t host_of_ram(const struct vm *v, ipa_t ipa)
{
	u64 contig;

	return vm_ipa_to_pa(v, ipa, &contig);
}

static bool mapped(const struct vm *v, ipa_t ipa)
{
	return stage2_translate(&v->s2, ipa, NULL, NULL, NULL) == 0;
}

static bool host_bytes(const struct vm *v, ipa_t ipa, u8 byte, u64 len)
{
	for (u64 i = 0; i < len; i++) {
		u64 contig;
		const u8 *p = (const u8 *)vm_ipa_to_pa(v, ipa + i, &contig);

		if (!p || *p != byte)
			return false;
	}
	return true;
}

/*
 * RAM on demand: nothing is mapped at creation; a guest fault or a copy of Tern's zeroes and maps
 * exactly the 2 MiB blocks it touches (cleaned: a guest with caches off reads zeroes), a block
 * is never zeroed twice, and a VM without the option or an IPA outside RAM is left alone.
 */
static void test_ram_on_demand(void **state)
{
	static const struct vm_config cfg = { .ram_on_demand = true };
	const u64 mib = 1UL << 20;
	const u8 src[20] = {
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20
	};
	struct vm v;

	(void)state;
	assert_int_equal(unit_arena_create(32 * mib), 0);
	unit_arena_reset();
	memset(&v, 0, sizeof(v));
	v.config = &cfg;
	assert_int_equal(stage2_init(&v.s2, 1, 40, true), 0);
	assert_int_equal(vm_alloc_ram(&v, 7 * mib), 0); /* blocks 0-2 of 2 MiB, block 3 of 1 */
	for (unsigned int i = 0; i < v.nr_ram_chunks; i++)
		memset((void *)v.ram[i].pa, 0x55, v.ram[i].size); /* what a previous owner left */
	for (u64 off = 0; off < 7 * mib; off += mib)
		assert_false(mapped(&v, GUEST_RAM_BASE + off));

	nr_recs = 0;
	assert_true(vm_ram_fault(&v, GUEST_RAM_BASE + 2 * mib + 123));
	assert_true(mapped(&v, GUEST_RAM_BASE + 2 * mib) &&
		    mapped(&v, GUEST_RAM_BASE + 4 * mib - 1));
	assert_true(host_bytes(&v, GUEST_RAM_BASE + 2 * mib, 0, 2 * mib));
	assert_true(covered(CMO_CLEAN, host_of_ram(&v, GUEST_RAM_BASE + 2 * mib),
			    host_of_ram(&v, GUEST_RAM_BASE + 2 * mib) + 2 * mib));
	assert_false(mapped(&v, GUEST_RAM_BASE + 2 * mib - 1) ||
		     mapped(&v, GUEST_RAM_BASE + 4 * mib));
	assert_true(host_bytes(&v, GUEST_RAM_BASE, 0x55, 64) &&
		    host_bytes(&v, GUEST_RAM_BASE + 4 * mib, 0x55, 64));

	/* Ready once: what the guest wrote there survives a second fault (another vCPU's). */
	*(u8 *)host_of_ram(&v, GUEST_RAM_BASE + 3 * mib) = 0x77;
	assert_true(vm_ram_fault(&v, GUEST_RAM_BASE + 3 * mib));
	assert_true(host_bytes(&v, GUEST_RAM_BASE + 3 * mib, 0x77, 1));

	/* Tern's copy across blocks 2 and 3 (the short last one) prepares both first. */
	assert_int_equal(vm_copy_to_guest(&v, GUEST_RAM_BASE + 6 * mib - 10, src, sizeof(src)), 0);
	assert_true(mapped(&v, GUEST_RAM_BASE + 4 * mib) &&
		    mapped(&v, GUEST_RAM_BASE + 7 * mib - 1));
	assert_true(host_bytes(&v, GUEST_RAM_BASE + 4 * mib, 0, 2 * mib - 10));
	assert_true(host_bytes(&v, GUEST_RAM_BASE + 6 * mib + 10, 0, mib - 10));
	assert_false(mapped(&v, GUEST_RAM_BASE));

	assert_false(vm_ram_fault(&v, GUEST_RAM_BASE + 7 * mib)); /* past the end */
	assert_false(vm_ram_fault(&v, GUEST_RAM_BASE - 1));
	vm_free_ram(&v);
	assert_null(v.ram_ready);

	/* Without the option everything is mapped and zeroed at creation: a fault is not RAM's. */
	memset(&v, 0, sizeof(v));
	assert_int_equal(stage2_init(&v.s2, 2, 40, true), 0);
	assert_int_equal(vm_alloc_ram(&v, 4 * mib), 0);
	assert_true(mapped(&v, GUEST_RAM_BASE) && mapped(&v, GUEST_RAM_BASE + 4 * mib - 1));
	assert_false(vm_ram_fault(&v, GUEST_RAM_BASE));
	unit_arena_destroy();
}

/*
 * A device's copy for this VM's loaded vCPU with its caches on needs no clean into RAM that is
 * ready (test_io_copies_for_a_cached_vcpu), but into an on-demand block not ready yet it is
 * written while the block is prepared, over a previous owner's bytes: it must reach memory
 * before the block is mapped, as the zeroes around it do, or a guest reading past its caches
 * (another vCPU with them off, a Non-cacheable alias) would see what was there before.
 */
static void test_fill_of_fresh_block_cleans_for_a_cached_vcpu(void **state)
{
	static const struct vm_config cfg = { .ram_on_demand = true };
	const u64 mib = 1UL << 20;
	static u8 src[4096];
	struct vm v;
	struct vcpu mine;
	ipa_t at = GUEST_RAM_BASE + 0x10000;
	paddr_t h;

	(void)state;
	memset(src, 0x3C, sizeof(src));
	assert_int_equal(unit_arena_create(32 * mib), 0);
	unit_arena_reset();
	memset(&v, 0, sizeof(v));
	v.config = &cfg;
	assert_int_equal(stage2_init(&v.s2, 1, 40, true), 0);
	assert_int_equal(vm_alloc_ram(&v, 4 * mib), 0);
	for (unsigned int i = 0; i < v.nr_ram_chunks; i++)
		memset((void *)v.ram[i].pa, 0x55, v.ram[i].size); /* a previous owner's bytes */
	memset(&mine, 0, sizeof(mine));
	mine.vm = &v;
	this_pcpu()->current_vcpu = &mine;
	unit_el1.sctlr = 0x5; /* M and C: vm_ram_coherent() */
	nr_recs = 0;
	assert_int_equal(vm_io_to_guest(&v, at, src, sizeof(src)), 0);
	h = host_of_ram(&v, at);
	assert_memory_equal((void *)h, src, sizeof(src));
	assert_true(covered(CMO_CLEAN, h, h + sizeof(src)));
	this_pcpu()->current_vcpu = NULL;
	unit_el1.sctlr = 0;
	unit_arena_destroy();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_copy_to_guest_cleans_what_it_wrote, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_clean_after_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zero_cleans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_from_guest_invalidates_first, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_io_copies_for_a_cached_vcpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_helpers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_images, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_ram_cleans_zeroes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ram_on_demand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fill_of_fresh_block_cleans_for_a_cached_vcpu,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
