// SPDX-License-Identifier: GPL-2.0-only
/*
 * arch/arm64/setway.c: a guest's set/way loop and cache toggles become clean+invalidate of all of
 * its RAM by address, once per loop and once per toggle, with HCR_EL2.TVM trapping the
 * VM-control registers from the first set/way operation until the caches are on. The hardware
 * registers (tests/unit/include/asm/el1_hw.h) and the cache operations are fakes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <asm/cache.h>
#include <asm/el1_hw.h>
#include <asm/setway.h>
#include <asm/sysreg.h>
#include <tern/vcpu.h>
#include <tern/vm.h>

struct unit_el1 unit_el1;

#define SCTLR	    SYS_REG(3, 0, 1, 0, 0)
#define TTBR0	    SYS_REG(3, 0, 2, 0, 0)
#define SCTLR_RESET 0x30D00800UL
#define SCTLR_ON    (SCTLR_RESET | 1UL | 4UL | (1UL << 12)) /* M, C, I */

static unsigned int flushes;
static u64 flushed_bytes;

void dcache_clean_range(paddr_t start, paddr_t end)
{
	(void)start;
	(void)end;
	fail_msg("a clean without invalidate");
}

void dcache_inval_range(paddr_t start, paddr_t end)
{
	(void)start;
	(void)end;
	fail_msg("an invalidate without clean would drop the guest's dirty lines");
}

void dcache_clean_inval_range(paddr_t start, paddr_t end)
{
	flushes++;
	flushed_bytes += end - start;
}

void icache_inval_all(void)
{
}

static struct vm vm;
static struct vcpu vcpu;

static int setup(void **state)
{
	(void)state;
	memset(&vm, 0, sizeof(vm));
	memset(&vcpu, 0, sizeof(vcpu));
	memset(&unit_el1, 0, sizeof(unit_el1));
	vm.nr_ram_chunks = 3;
	vm.ram[0] = (struct vm_ram_chunk){ 0x80000000, GUEST_RAM_BASE, 64UL << 20 };
	vm.ram[1] = (struct vm_ram_chunk){ 0x90000000, GUEST_RAM_BASE + (64UL << 20), 32UL << 20 };
	vm.ram[2] = (struct vm_ram_chunk){ 0x70000000, GUEST_RAM_BASE + (96UL << 20), 32UL << 20 };
	vm.ram_size = 128UL << 20;
	vcpu.vm = &vm;
	vcpu.arch.hcr = HCR_EL2_VM | HCR_EL2_TSW;
	unit_el1.sctlr = SCTLR_RESET;
	flushes = 0;
	flushed_bytes = 0;
	return 0;
}

/* A boot-time loop over every set and way with the caches off: one flush of all RAM. */
static void test_loop_flushes_once(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < 33280; i++)
		setway_op(&vcpu);
	assert_int_equal(flushes, 3); /* one per RAM chunk */
	assert_int_equal(flushed_bytes, vm.ram_size);
	assert_int_equal(vcpu.setway_flushes, 1);
	assert_true(vcpu.arch.hcr & HCR_EL2_TVM);
	assert_int_equal(unit_el1.hcr, vcpu.arch.hcr); /* written to the hardware, once */
	assert_int_equal(unit_el1.hcr_writes, 1);
	assert_int_equal(vcpu.exit_count[EXIT_SETWAY], 33280);
}

/* The MMU and caches turned on: another flush, then the registers stop trapping. */
static void test_caches_on_ends_the_window(void **state)
{
	(void)state;
	setway_op(&vcpu);
	assert_true(setway_vm_reg_write(&vcpu, TTBR0, 0x40010000));
	assert_int_equal(unit_el1.last_key, TTBR0);
	assert_int_equal(unit_el1.last_val, 0x40010000);
	assert_int_equal(vcpu.setway_flushes, 1); /* no toggle, no flush */
	assert_true(vcpu.arch.hcr & HCR_EL2_TVM);
	/* I-cache on alone: the data caches are still off. */
	assert_true(setway_vm_reg_write(&vcpu, SCTLR, SCTLR_RESET | (1UL << 12)));
	assert_int_equal(vcpu.setway_flushes, 1);
	assert_true(vcpu.arch.hcr & HCR_EL2_TVM);
	assert_true(setway_vm_reg_write(&vcpu, SCTLR, SCTLR_ON));
	assert_int_equal(unit_el1.sctlr, SCTLR_ON);
	assert_int_equal(vcpu.setway_flushes, 2);
	assert_false(vcpu.arch.hcr & HCR_EL2_TVM);
	assert_int_equal(unit_el1.hcr, vcpu.arch.hcr);
}

/* With caches on, a set/way loop before turning them off: flush, trap, flush at the toggle. */
static void test_caches_off_again(void **state)
{
	(void)state;
	unit_el1.sctlr = SCTLR_ON;
	setway_op(&vcpu);
	setway_op(&vcpu);
	assert_int_equal(vcpu.setway_flushes, 1);
	assert_true(setway_vm_reg_write(&vcpu, SCTLR, SCTLR_RESET));
	assert_int_equal(vcpu.setway_flushes, 2);
	assert_true(vcpu.arch.hcr & HCR_EL2_TVM); /* off: keeps trapping until they are on */
	assert_true(setway_vm_reg_write(&vcpu, SCTLR, SCTLR_ON));
	assert_int_equal(vcpu.setway_flushes, 3);
	assert_false(vcpu.arch.hcr & HCR_EL2_TVM);
}

static void test_not_a_vm_register(void **state)
{
	(void)state;
	assert_false(setway_vm_reg_write(&vcpu, SYS_REG(2, 0, 0, 2, 2), 1)); /* op0 2 */
	assert_int_equal(vcpu.setway_flushes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_loop_flushes_once, setup),
		cmocka_unit_test_setup(test_caches_on_ends_the_window, setup),
		cmocka_unit_test_setup(test_caches_off_again, setup),
		cmocka_unit_test_setup(test_not_a_vm_register, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
