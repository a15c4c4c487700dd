// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_create() and vm_destroy() with the real pieces (stage-2 tables, guest RAM, MMIO registry,
 * device list with the real vGIC and PL011, loader, guest DT writer, the buddy allocator over a
 * host buffer) and an allocator that fails on demand: at the k-th allocation and every one after
 * it, or at the k-th only, for every k a successful creation makes. Whatever happens, the
 * allocator is back at its baseline afterwards, and the VM (and its VMID) can be created again.
 * The architecture's pieces (vCPU reset, ID registers, timer, list registers) are stand-ins.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <asm/el1_hw.h>
#include <libfdt.h>
#include <asm/cache.h>
#include <asm/guest.h>
#include <asm/sysreg_emul.h>
#include <asm/tlb.h>
#include <drivers/arch_timer.h>
#include <tern/console_vm.h>
#include <tern/errno.h>
#include <tern/guest_fdt.h>
#include <tern/irq.h>
#include <tern/irqchip.h>
#include <tern/platform.h>
#include <tern/page_alloc.h>
#include <tern/platform.h>
#include <tern/sched.h>
#include <tern/vdev.h>
#include <tern/vm.h>
#include <virt/guest_map.h>
#include <virt/vgic_hw.h>
#include <tern/vm_config.h>
#include "stub_printk.h"
#include "unit_helpers.h"
#include "fake_vgic_hw.h"

#define ARENA_SIZE (64UL << 20)
#define VM_RAM	   (16ULL << 20)
#define PARANGE_48 5

struct unit_tlb_stats unit_tlb;
u64 unit_id_aa64mmfr0 = PARANGE_48;
/* The loaded vCPU's SCTLR_EL1 (vm_io_*, unused here). */
struct unit_el1 unit_el1;

/* ---- the allocator in front of the real one ---- */

enum fail_mode {
	FAIL_NONE,
	FAIL_FROM, /* the k-th allocation and every later one */
	FAIL_ONLY, /* the k-th allocation only */
};

static struct {
	enum fail_mode mode;
	unsigned int k;
	unsigned int calls;
	unsigned int failed;
} fail;

struct page_allocator page_allocator_global;

paddr_t page_alloc(unsigned int order)
{
	unsigned int n = ++fail.calls;

	if ((fail.mode == FAIL_FROM && n >= fail.k) || (fail.mode == FAIL_ONLY && n == fail.k)) {
		fail.failed++;
		return 0;
	}
	return page_alloc_pages(&page_allocator_global, order);
}

int page_free(paddr_t addr, unsigned int order)
{
	int rc = page_free_pages(&page_allocator_global, addr, order);

	/* A free of something not allocated, or with the wrong order, is a bug of the code. */
	assert_int_equal(rc, 0);
	return rc;
}

void *page_zalloc(unsigned int order)
{
	paddr_t a = page_alloc(order);

	if (a)
		memset((void *)a, 0, PAGE_SIZE << order);
	return (void *)a;
}

/* ---- stand-ins for the architecture and the scheduler ---- */

void vcpu_arch_reset(struct vcpu *vcpu, u64 entry, u64 x0)
{
	vcpu->arch.regs.pc = entry;
	vcpu->arch.regs.x[0] = x0;
	vcpu->arch.vmpidr = vcpu->id;
}

/* No PMU: the guest DT gets no /pmu node (guest_fdt's own test covers the node). */
bool vpmu_available(void)
{
	return false;
}

bool vpmu_has_irq(void)
{
	return false;
}

/* Cache maintenance: core/vm.c's own test (vm_ram) checks it. */
void dcache_clean_range(paddr_t start, paddr_t end)
{
	(void)start;
	(void)end;
}

void dcache_inval_range(paddr_t start, paddr_t end)
{
	(void)start;
	(void)end;
}

void dcache_clean_inval_range(paddr_t start, paddr_t end)
{
	(void)start;
	(void)end;
}

void dcache_zero_range(paddr_t start, paddr_t end)
{
	memset((void *)start, 0, end - start);
}

void icache_inval_all(void)
{
}

void sysreg_id_fill(const struct vm *vm, u64 out[32])
{
	(void)vm;
	memset(out, 0, 32 * sizeof(out[0]));
}

u64 arch_timer_now(void)
{
	return 0;
}

void sched_wake(struct vcpu *vcpu)
{
	(void)vcpu;
}

void sched_kick(struct vcpu *vcpu)
{
	(void)vcpu;
}

/* Placement: every vCPU placed at creation is unplaced again when creation fails. */
static unsigned int placed_vcpus;

void sched_place_vcpu(struct vcpu *vcpu, unsigned int pcpu)
{
	assert_int_equal(pcpu, 0);
	assert_false(vcpu->placed);
	vcpu->placed = true;
	vcpu->pcpu = pcpu;
	placed_vcpus++;
}

void sched_unplace_vcpu(struct vcpu *vcpu)
{
	assert_true(vcpu->placed);
	vcpu->placed = false;
	placed_vcpus--;
}

u64 smp_online_mask(void)
{
	return 1;
}

unsigned int smp_place_vcpu(unsigned int i, u64 allowed)
{
	(void)i;
	assert_int_equal(allowed, 1);
	return 0;
}

void sched_kick_flush(void)
{
}

void sched_exit_guest(struct vcpu *vcpu)
{
	(void)vcpu;
}

bool sched_block(struct vcpu *vcpu)
{
	(void)vcpu;
	return true;
}

bool sched_block_unqueued(struct vcpu *vcpu)
{
	(void)vcpu;
	return true;
}

void sched_stop_vcpu(struct vcpu *vcpu, enum vcpu_state state)
{
	vcpu->state = state;
}

/*
 * test_reset_racing_cpu_on: while the reset waits for vCPU 0 to leave its pCPU, vCPU 0's exit
 * handler carries out a PSCI CPU_ON of vCPU 1 (after the reset stopped both), and vCPU 1's pCPU
 * picks it.
 */
static bool race_cpu_on;

void sched_wait_off_pcpu(struct vcpu *vcpu)
{
	struct vcpu *target = vcpu->vm->vcpus[1];

	if (!race_cpu_on || vcpu->id != 0)
		return;
	race_cpu_on = false;
	target->power = VCPU_POWER_ON_PENDING;
	target->state = VCPU_RUNNING;
}

void sched_kick_all(void)
{
}

/* The VM console (core/console_vm.c has its own test): what the devices hand over. */
static char console[256];
static unsigned int console_flushes;

void vm_console_write(struct vm *vm, const char *s, size_t len)
{
	size_t n = strlen(console);

	(void)vm;
	assert_true(n + len < sizeof(console));
	memcpy(console + n, s, len);
	console[n + len] = '\0';
}

void vm_console_flush(struct vm *vm)
{
	(void)vm;
	console_flushes++;
}

void vm_console_end_line(struct vm *vm)
{
	(void)vm;
}

int irq_request(unsigned int intid, irq_handler_t fn, void *priv)
{
	(void)intid;
	(void)fn;
	(void)priv;
	return 0;
}

const char *vm_guest_type_name(enum vm_guest_type type)
{
	(void)type;
	return "bare-metal";
}

/* ---- fixtures ---- */

static struct platform plat;
static u8 kernel_image[8192] __attribute__((aligned(4096)));
static const struct vm_config cfg[2] = {
	{ .id = 0,
	  .type = VM_GUEST_BAREMETAL,
	  .nr_vcpus = 2,
	  .ram_size = VM_RAM,
	  .bootargs = "console=ttyAMA0" },
	{ .id = 1, .type = VM_GUEST_BAREMETAL, .nr_vcpus = 1, .ram_size = VM_RAM, .bootargs = "" },
};
static struct page_alloc_stats baseline;

static void stats(struct page_alloc_stats *st)
{
	page_allocator_stats(&page_allocator_global, st);
}

static void assert_baseline(const char *what, unsigned int k)
{
	struct page_alloc_stats st;

	stats(&st);
	if (placed_vcpus)
		fail_msg("%s, k = %u: %u vCPUs still placed on a pCPU", what, k, placed_vcpus);
	if (st.free_pages != baseline.free_pages || st.used_pages != baseline.used_pages ||
	    memcmp(st.free_blocks, baseline.free_blocks, sizeof(st.free_blocks)))
		fail_msg("%s, k = %u: allocator not back at its baseline: %llu pages free, %llu "
			 "used (baseline %llu free, %llu used)",
			 what, k, (unsigned long long)st.free_pages,
			 (unsigned long long)st.used_pages, (unsigned long long)baseline.free_pages,
			 (unsigned long long)baseline.used_pages);
}

static int group_setup(void **state)
{
	(void)state;
	if (unit_arena_create(ARENA_SIZE))
		return -1;
	unit_arena_reset();
	stats(&baseline);
	for (size_t i = 0; i < sizeof(kernel_image); i++)
		kernel_image[i] = (u8)(i * 7 + 1);
	plat.nr_modules = 2;
	for (unsigned int i = 0; i < 2; i++)
		plat.modules[i] = (struct platform_module){ .vm = i,
							    .kind = MODULE_KERNEL,
							    .base = (u64)(uintptr_t)kernel_image,
							    .size = sizeof(kernel_image) };
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	unit_arena_destroy();
	return 0;
}

static int setup(void **state)
{
	(void)state;
	memset(&fail, 0, sizeof(fail));
	memset(&unit_tlb, 0, sizeof(unit_tlb));
	memset(vm_table, 0, sizeof(vm_table));
	console[0] = '\0';
	stub_printk_reset();
	return 0;
}

static struct vm *create_ok(unsigned int id)
{
	struct vm *vm = &vm_table[id];
	int rc = vm_create(vm, id, &cfg[id], &plat);

	if (rc)
		fail_msg("vm_create(vm%u): %d; log:\n%s", id, rc, stub_printk_log());
	assert_int_equal(vm->state, VM_READY);
	return vm;
}

/* The VM's DT as a device tree compiler reads it. */
static void assert_dtc_accepts(const void *fdt)
{
	char blob[] = "/tmp/tern-vm-dtb-XXXXXX", cmd[256], err[2048];
	int fd = mkstemp(blob);
	size_t n;
	FILE *f;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, fdt, fdt_totalsize(fdt)), (ssize_t)fdt_totalsize(fdt));
	close(fd);
	snprintf(cmd, sizeof(cmd), "dtc -I dtb -O dts -o /dev/null %s 2>&1", blob);
	f = popen(cmd, "r");
	assert_non_null(f);
	n = fread(err, 1, sizeof(err) - 1, f);
	err[n] = '\0';
	assert_int_equal(pclose(f), 0);
	unlink(blob);
	if (n)
		fail_msg("dtc says:\n%s", err);
}

static const fdt32_t *getprop(const void *fdt, const char *path, const char *name, int len)
{
	int off = fdt_path_offset(fdt, path), got;
	const fdt32_t *v;

	if (off < 0)
		fail_msg("no node %s", path);
	v = fdt_getprop(fdt, off, name, &got);
	if (!v || got != len)
		fail_msg("%s:%s: %d bytes, want %d", path, name, v ? got : -1, len);
	return v;
}

/* ---- tests ---- */

/* A good creation: devices from the Kconfig set, each with its node, and all of it freed. */
static void test_create_destroy(void **state)
{
	struct vm *vm;
	const void *fdt;
	const fdt32_t *reg;

	(void)state;
	vm = create_ok(0);
	assert_int_equal(vm->nr_vdevs, 2);
	assert_string_equal(vm->vdevs[0].type->name, "gicv3");
	assert_string_equal(vm->vdevs[1].type->name, "pl011");
	assert_non_null(vm->vgic);
	assert_non_null(vm->uart);
	assert_non_null(mmio_find(&vm->mmio, GUEST_GICD_BASE, 4));
	assert_non_null(mmio_find(&vm->mmio, GUEST_GICR_BASE + 2 * 0x20000 - 4, 4));
	assert_null(mmio_find(&vm->mmio, GUEST_GICR_BASE + 2 * 0x20000, 4));
	assert_non_null(mmio_find(&vm->mmio, GUEST_PL011_BASE, 4));
	assert_int_equal(vm->s2.vmid, 1);

	/* The vGIC device's node: both frames, one redistributor per vCPU, maintenance PPI 9. */
	fdt = (const void *)vm->dtb.pa;
	assert_int_equal(fdt_check_full(fdt, fdt_totalsize(fdt)), 0);
	reg = getprop(fdt, "/intc@8000000", "reg", 32);
	assert_int_equal(fdt32_ld(&reg[1]), 0x8000000);
	assert_int_equal(fdt32_ld(&reg[3]), 0x10000);
	assert_int_equal(fdt32_ld(&reg[5]), 0x80a0000);
	assert_int_equal(fdt32_ld(&reg[7]), 2 * 0x20000);
	reg = getprop(fdt, "/intc@8000000", "interrupts", 12);
	assert_int_equal(fdt32_ld(&reg[1]), 9);
	assert_int_equal(fdt32_ld(getprop(fdt, "/intc@8000000", "phandle", 4)),
			 GUEST_FDT_PHANDLE_GIC);
	getprop(fdt, "/pl011@9000000", "reg", 16);
	assert_string_equal(fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path", NULL),
			    "/pl011@9000000");
	assert_dtc_accepts(fdt);

	vm_destroy(vm);
	assert_int_equal(vm->state, VM_UNINITIALIZED);
	assert_int_equal(vm->nr_vdevs, 0);
	assert_null(vm->vgic);
	assert_null(vm->uart);
	assert_int_equal(vm->mmio.nr, 0);
	/* The VMID's TLB entries went with the tables. */
	assert_int_equal(unit_tlb.flush_vmid, 1);
	assert_int_equal(unit_tlb.last_vttbr >> 48, 1);
	assert_baseline("create + destroy", 0);
}

static u64 mmio_rd(struct vm *vm, ipa_t addr)
{
	u64 val = 0;

	assert_int_equal(mmio_dispatch(&vm->mmio, vm->vcpus[0], addr, 4, false, &val), 0);
	return val;
}

static void mmio_wr(struct vm *vm, ipa_t addr, u64 val)
{
	assert_int_equal(mmio_dispatch(&vm->mmio, vm->vcpus[0], addr, 4, true, &val), 0);
}

/* The walkers reach every device: the scheduler's and the stop hook flush the console's held
 * output; a VM reset resets the UART and the vGIC (an SPI left pending is gone). */
static void test_device_hooks(void **state)
{
	struct vm *vm;

	(void)state;
	vm = create_ok(0);
	mmio_wr(vm, GUEST_PL011_BASE, 'h');
	mmio_wr(vm, GUEST_PL011_BASE, 'i');
	assert_string_equal(console, "");
	vdev_vcpu_put(vm->vdevs, vm->nr_vdevs);
	assert_string_equal(console, "hi");
	mmio_wr(vm, GUEST_PL011_BASE, '!');
	vdev_stop_all(vm);
	assert_string_equal(console, "hi!");

	mmio_wr(vm, GUEST_PL011_BASE + 0x38, 0x50);    /* UARTIMSC */
	mmio_wr(vm, GUEST_GICD_BASE + 0x204, 1U << 1); /* GICD_ISPENDR1: SPI 33 */
	assert_int_equal(mmio_rd(vm, GUEST_PL011_BASE + 0x38), 0x50);
	assert_int_equal(mmio_rd(vm, GUEST_GICD_BASE + 0x204) & 2, 2);
	vdev_reset_all(vm);
	assert_int_equal(mmio_rd(vm, GUEST_PL011_BASE + 0x38), 0);
	assert_int_equal(mmio_rd(vm, GUEST_GICD_BASE + 0x204), 0);
	vm_destroy(vm);
	assert_baseline("hooks", 0);
}

/* VM 1's configuration has a vGIC and no UART: the DT has no console. */
static void test_device_set_per_vm(void **state)
{
	struct vm *vm;
	const void *fdt;

	(void)state;
	vm = create_ok(1);
	assert_int_equal(vm->nr_vdevs, 1);
	assert_null(vm->uart);
	assert_null(mmio_find(&vm->mmio, GUEST_PL011_BASE, 4));
	fdt = (const void *)vm->dtb.pa;
	assert_true(fdt_path_offset(fdt, "/pl011@9000000") < 0);
	assert_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path", NULL));
	assert_int_equal(vm->s2.vmid, 2);
	vm_destroy(vm);
	assert_baseline("vm1", 0);
}

/* How many allocations a successful creation of VM @id makes. */
static unsigned int count_allocations(unsigned int id)
{
	struct vm *vm;

	memset(&fail, 0, sizeof(fail));
	vm = create_ok(id);
	vm_destroy(vm);
	assert_baseline("counting", 0);
	return fail.calls;
}

static void fail_every_k(unsigned int id, enum fail_mode mode)
{
	unsigned int n = count_allocations(id);
	struct vm *vm = &vm_table[id];

	assert_true(n > 6);
	for (unsigned int k = 1; k <= n; k++) {
		int rc;

		fail = (typeof(fail)){ .mode = mode, .k = k };
		memset(&unit_tlb, 0, sizeof(unit_tlb));
		stub_printk_reset();
		rc = vm_create(vm, id, &cfg[id], &plat);
		assert_true(fail.failed > 0);
		if (mode == FAIL_FROM) {
			/* Nothing can be retried: the creation fails, says so, and gives back all.
			 */
			if (rc != -TERN_ENOMEM)
				fail_msg("k = %u: vm_create returned %d, want -ENOMEM; log:\n%s", k,
					 rc, stub_printk_log());
			assert_true(stub_printk_contains("not created"));
		}
		if (rc) {
			assert_int_equal(vm->state, VM_UNINITIALIZED);
			assert_null(vm->s2.root);
			assert_int_equal(vm->nr_vdevs, 0);
			assert_int_equal(vm->nr_ram_chunks, 0);
			for (unsigned int i = 0; i < VM_MAX_VCPUS; i++)
				assert_null(vm->vcpus[i]);
			/*
			 * Tables were freed with their VMID's TLB entries, or never made; with
			 * blocks in one flush (with pages, unmapping what a failed map had mapped
			 * flushes the VMID once more per range).
			 */
			assert_true(!IS_ENABLED(CONFIG_STAGE2_BLOCKS) || unit_tlb.flush_vmid <= 1);
		} else {
			/* A smaller RAM block was taken instead of the one refused. */
			assert_int_equal(vm->state, VM_READY);
			vm_destroy(vm);
		}
		assert_baseline(mode == FAIL_FROM ? "failing from k" : "failing at k only", k);

		/* The same VM, with the same VMID, can be created (and destroyed) again. */
		fail = (typeof(fail)){ 0 };
		vm = create_ok(id);
		assert_int_equal(vm->s2.vmid, id + 1);
		vm_destroy(vm);
		assert_baseline("again", k);
	}
}

static void test_fail_from_k(void **state)
{
	(void)state;
	fail_every_k(0, FAIL_FROM);
	fail_every_k(1, FAIL_FROM);
}

static void test_fail_at_k(void **state)
{
	(void)state;
	fail_every_k(0, FAIL_ONLY);
}

/* No kernel module: nothing is allocated at all. */
static void test_no_kernel(void **state)
{
	struct platform none = { 0 };

	(void)state;
	assert_int_equal(vm_create(&vm_table[0], 0, &cfg[0], &none), -TERN_ENOENT);
	assert_int_equal(fail.calls, 0);
	assert_int_equal(vm_table[0].state, VM_UNINITIALIZED);
}

/* A VM too big for the machine fails in the RAM step and leaves nothing behind. */
static void test_ram_too_big(void **state)
{
	struct vm_config big = cfg[0];

	(void)state;
	big.ram_size = ARENA_SIZE;
	assert_int_equal(vm_create(&vm_table[0], 0, &big, &plat), -TERN_ENOMEM);
	assert_true(stub_printk_contains("not enough host memory"));
	assert_baseline("RAM too big", 0);
}

/* A reset leaves no vCPU but vCPU 0 powered on, even one a racing CPU_ON woke meanwhile. */
static void test_reset_racing_cpu_on(void **state)
{
	struct vm *vm;

	(void)state;
	vm = create_ok(0);
	assert_int_equal(vm_start(vm), 0);
	vm->reset_pending = true;
	race_cpu_on = true;
	vm_do_reset(vm);
	assert_false(race_cpu_on); /* the CPU_ON did race with the reset */
	assert_int_equal(vm->resets, 1);
	assert_false(vm->reset_pending);
	assert_int_equal(vm->vcpus[1]->power, VCPU_POWER_OFF);
	assert_int_equal(vm->vcpus[1]->state, VCPU_OFF);
	assert_int_equal(vm->vcpus[0]->power, VCPU_POWER_ON_PENDING);
	vm_stop(vm, "test");
	vm_destroy(vm);
	assert_baseline("reset", 0);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_create_destroy), T(test_device_set_per_vm),   T(test_device_hooks),
		T(test_fail_from_k),	T(test_fail_at_k),	     T(test_no_kernel),
		T(test_ram_too_big),	T(test_reset_racing_cpu_on),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
