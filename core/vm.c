// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMs: creation from the Kconfig layout and the boot modules, the lifecycle state machine,
 * start, stop and reset, and access to guest RAM. Everything of a VM lives in its struct vm.
 */
#include <asm/cache.h>
#include <asm/el1_hw.h>
#include <asm/guest.h>
#include <asm/stage2.h>
#include <string.h>
#include <tern/compiler.h>
#include <tern/console.h>
#include <tern/errno.h>
#include <tern/format.h>
#include <tern/page_alloc.h>
#include <tern/percpu.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/strtab.h>
#include <tern/vm.h>
#include <tern/vm_config.h>

struct vm vm_table[CONFIG_NR_VMS];

const char *vcpu_exit_reason_name(enum vcpu_exit_reason r)
{
	/* In the order of enum vcpu_exit_reason (tern/vcpu.h). */
	static const char names[] = "hvc\0smc\0sysreg\0sgi\0mmio\0abort\0wfi\0wfe\0irq\0maint\0fp\0"
				    "setway\0other\0";
	const char *n = strtab_nth(names, sizeof(names), r);

	_Static_assert(EXIT_HVC == 0 && EXIT_SMC == 1 && EXIT_SYSREG == 2 && EXIT_SGI == 3 &&
			   EXIT_MMIO == 4 && EXIT_ABORT == 5 && EXIT_WFI == 6 && EXIT_WFE == 7 &&
			   EXIT_IRQ == 8 && EXIT_MAINT == 9 && EXIT_FP == 10 && EXIT_SETWAY == 11 &&
			   EXIT_OTHER == 12 && EXIT_NR == 13,
		       "names is in the order of enum vcpu_exit_reason");
	return n ? n : "?";
}

void vm_exit_counts(const struct vm *vm, u64 counts[EXIT_NR], u64 *undefs, u64 *aborts)
{
	for (unsigned int r = 0; r < EXIT_NR; r++)
		counts[r] = 0;
	*undefs = *aborts = 0;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		const struct vcpu *v = vm->vcpus[i];

		for (unsigned int r = 0; r < EXIT_NR; r++)
			counts[r] += v->exit_count[r];
		*undefs += v->undefs_injected;
		*aborts += v->aborts_injected;
	}
}

__cold void vm_print_stats(const struct vm *vm, enum log_level level)
{
	u64 counts[EXIT_NR], undefs, aborts, irqs = 0, total = 0;
	char line[256];
	int n = 0;

	vm_exit_counts(vm, counts, &undefs, &aborts);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		irqs += vm->vcpus[i]->irqs_taken;
	for (unsigned int r = 0; r < EXIT_NR; r++) {
		if (r != EXIT_MAINT) /* a kind of IRQ exit, not an exit of its own */
			total += counts[r];
		n += fmt_snprintf(line + n, sizeof(line) - (size_t)n, "%s%s %llu", r ? ", " : "",
				  vcpu_exit_reason_name(r), (unsigned long long)counts[r]);
	}
	printk(level, "vm%u: exit: %s; %u resets; %llu aborts and %llu undefs injected\n", vm->id,
	       vm->stop_reason ? vm->stop_reason : vm_state_name(vm->state), vm->resets,
	       (unsigned long long)aborts, (unsigned long long)undefs);
	printk(level, "vm%u: exits %llu: %s\n", vm->id, (unsigned long long)total, line);
	printk(level, "vm%u: interrupts taken %llu\n", vm->id, (unsigned long long)irqs);
}

static unsigned int vm_live;

unsigned int vm_nr_live(void)
{
	return __atomic_load_n(&vm_live, __ATOMIC_ACQUIRE);
}

const char *vm_state_name(enum vm_state s)
{
	/* In the order of enum vm_state (tern/vm.h). */
	static const char names[] = "uninitialized\0ready\0running\0paused\0stopped\0";
	const char *n = strtab_nth(names, sizeof(names), s);

	_Static_assert(VM_UNINITIALIZED == 0 && VM_READY == 1 && VM_RUNNING == 2 &&
			   VM_PAUSED == 3 && VM_STOPPED == 4,
		       "names is in the order of enum vm_state");
	return n ? n : "?";
}

/* Allowed transitions: Uninitialized -> Ready -> Running <-> Paused, and any -> Stopped. */
static bool vm_transition_ok(enum vm_state from, enum vm_state to)
{
	switch (to) {
	case VM_READY:
		return from == VM_UNINITIALIZED || from == VM_STOPPED;
	case VM_RUNNING:
		return from == VM_READY || from == VM_PAUSED;
	case VM_PAUSED:
		return from == VM_RUNNING;
	case VM_STOPPED:
		return from != VM_UNINITIALIZED;
	default:
		return false;
	}
}

__cold bool vm_set_state(struct vm *vm, enum vm_state to)
{
	if (!vm_transition_ok(vm->state, to)) {
		pr_err("vm%u: BUG: illegal state change %s -> %s refused\n", vm->id,
		       vm_state_name(vm->state), vm_state_name(to));
		return false;
	}
	vm->state = to;
	return true;
}

struct vcpu *vm_vcpu_by_mpidr(struct vm *vm, u64 mpidr)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		if ((vm->vcpus[i]->arch.vmpidr & 0xFF00FFFFFFUL) == mpidr)
			return vm->vcpus[i];
	}
	return NULL;
}

bool vm_ipa_in_ram(const struct vm *vm, ipa_t ipa, u64 size)
{
	return ipa >= GUEST_RAM_BASE && size <= vm->ram_size &&
	       ipa - GUEST_RAM_BASE <= vm->ram_size - size;
}

paddr_t vm_ipa_to_pa(const struct vm *vm, ipa_t ipa, u64 *contig)
{
	for (unsigned int i = 0; i < vm->nr_ram_chunks; i++) {
		const struct vm_ram_chunk *c = &vm->ram[i];

		if (ipa >= c->ipa && ipa - c->ipa < c->size) {
			*contig = c->size - (ipa - c->ipa);
			return c->pa + (ipa - c->ipa);
		}
	}
	*contig = 0;
	return 0;
}

/* Tern's pointer to guest RAM at @ipa (its map is 1:1), with the contiguous bytes from there. */
static u8 *vm_ram_ptr(const struct vm *vm, ipa_t ipa, u64 *contig)
{
	return (u8 *)vm_ipa_to_pa(vm, ipa, contig);
}

enum vm_ram_op {
	VM_RAM_WRITE,
	VM_RAM_READ,
	VM_RAM_ZERO,
	VM_RAM_SYNC_GUEST,
	VM_RAM_SYNC_TERN,
};

/*
 * Whether the vCPU this pCPU runs for @vm sees its RAM through its caches as Tern does (its MMU
 * and data cache on: Linux maps RAM, virtqueues and buffers Normal write-back). Memory both
 * access as Normal Inner Shareable write-back is kept coherent by the hardware, so a copy made on
 * its behalf (a virtio request it notified) needs no cache maintenance. A vCPU with its caches
 * on that maps its own buffers otherwise (non-cacheable) makes the attributes mismatch for its
 * own pages only (Arm ARM, "Mismatched memory attributes"): it may read what it had there
 * before, never anything of Tern's or another VM's.
 */
static bool vm_ram_coherent(const struct vm *vm)
{
	const struct pcpu *p = this_pcpu();
	const struct vcpu *v = p ? p->current_vcpu : NULL;

	return v && v->vm == vm && el1_hw_caches_on();
}

static void vm_ram_piece(u8 *g, u8 *buf, u64 n, enum vm_ram_op op, bool coherent)
{
	if ((op == VM_RAM_READ && !coherent) || op == VM_RAM_SYNC_TERN)
		dcache_clean_inval_range((paddr_t)g, (paddr_t)g + n);
	if (op == VM_RAM_WRITE)
		memcpy(g, buf, n);
	else if (op == VM_RAM_READ)
		memcpy(buf, g, n);
	else if (op == VM_RAM_ZERO)
		dcache_zero_range((paddr_t)g, (paddr_t)g + n);
	if ((op == VM_RAM_WRITE && !coherent) || op == VM_RAM_SYNC_GUEST)
		dcache_clean_range((paddr_t)g, (paddr_t)g + n);
}

/*
 * Walk guest RAM chunk by chunk: it is contiguous for the guest, not for the host. The guest
 * may run with its caches off, its accesses then going to memory past Tern's caches: what Tern
 * writes is cleaned to the point of coherency, and what it reads is cleaned and invalidated
 * first, so that no stale line of Tern's (speculatively fetched through its own mapping of all
 * RAM) hides what the guest wrote to memory. None of it for a device's copy (@io) made while a
 * vCPU of the VM whose caches are on is loaded here (vm_ram_coherent()).
 */
static int vm_ram_access(struct vm *vm, ipa_t ipa, u8 *buf, u64 len, enum vm_ram_op op, bool io)
{
	bool coherent = io && vm_ram_coherent(vm);
	/* RAM on demand: a write into a block not yet ready is made while it is prepared. */
	bool fill = vm->ram_ready && (op == VM_RAM_WRITE || op == VM_RAM_ZERO);
	int rc;

	if (!vm_ipa_in_ram(vm, ipa, len))
		return -TERN_EFAULT;
	rc = fill ? 0 : vm_ram_prepare(vm, ipa, len);
	if (rc)
		return rc;
	while (len) {
		u64 contig;
		u8 *g = vm_ram_ptr(vm, ipa, &contig);
		u64 n = MIN(len, contig);

		if (!g)
			return -TERN_EFAULT;
		rc = fill ? vm_ram_prepare_fill(vm, ipa, &n, op == VM_RAM_WRITE ? buf : NULL) : 0;
		if (rc < 0)
			return rc;
		if (!rc)
			vm_ram_piece(g, buf, n, op, coherent);
		ipa += n;
		len -= n;
		if (buf)
			buf += n;
	}
	return 0;
}

int vm_copy_to_guest(struct vm *vm, ipa_t dst, const void *src, u64 len)
{
	return vm_ram_access(vm, dst, (u8 *)(uintptr_t)src, len, VM_RAM_WRITE, false);
}

int vm_copy_from_guest(struct vm *vm, void *dst, ipa_t src, u64 len)
{
	return vm_ram_access(vm, src, dst, len, VM_RAM_READ, false);
}

int vm_io_to_guest(struct vm *vm, ipa_t dst, const void *src, u64 len)
{
	return vm_ram_access(vm, dst, (u8 *)(uintptr_t)src, len, VM_RAM_WRITE, true);
}

int vm_io_from_guest(struct vm *vm, void *dst, ipa_t src, u64 len)
{
	return vm_ram_access(vm, src, dst, len, VM_RAM_READ, true);
}

int vm_zero_guest(struct vm *vm, ipa_t ipa, u64 len)
{
	return vm_ram_access(vm, ipa, NULL, len, VM_RAM_ZERO, false);
}

int vm_sync_for_guest(struct vm *vm, ipa_t ipa, u64 len)
{
	return vm_ram_access(vm, ipa, NULL, len, VM_RAM_SYNC_GUEST, false);
}

int vm_sync_for_tern(struct vm *vm, ipa_t ipa, u64 len)
{
	return vm_ram_access(vm, ipa, NULL, len, VM_RAM_SYNC_TERN, false);
}

/*
 * Back guest RAM with the largest naturally aligned blocks the allocator has, so that stage-2
 * uses 1 GiB and 2 MiB blocks. Nothing else of the host is mapped into the VM. A VM with RAM on
 * demand gets its blocks now but maps and zeroes them at first use (vm_ram_demand.c).
 */
__cold int vm_alloc_ram(struct vm *vm, u64 size)
{
	bool on_demand = vm->config && vm->config->ram_on_demand;
	ipa_t ipa = GUEST_RAM_BASE;
	u64 left = size;

	while (left) {
		unsigned int order =
		    MIN(PAGE_ALLOC_MAX_ORDER, 63 - __builtin_clzl(left) - PAGE_SHIFT);
		paddr_t pa = 0;
		int rc;

		/* A block must also be aligned in IPA space to become a stage-2 block. */
		while (order > 0 && !IS_ALIGNED(ipa, PAGE_SIZE << order))
			order--;
		for (; order + 1 > 0; order--) {
			pa = page_alloc(order);
			if (pa || order == 0)
				break;
		}
		if (!pa || vm->nr_ram_chunks == VM_MAX_RAM_CHUNKS) {
			if (pa)
				page_free(pa, order);
			pr_err("vm%u: not enough host memory for %llu MiB of guest RAM\n", vm->id,
			       (unsigned long long)(size >> 20));
			return -TERN_ENOMEM;
		}
		vm->ram[vm->nr_ram_chunks++] = (struct vm_ram_chunk){ pa, ipa, PAGE_SIZE << order };
		if (!on_demand) {
			rc = stage2_map(&vm->s2, ipa, pa, PAGE_SIZE << order, S2_NORMAL_RW);
			if (rc)
				return rc;
			/* Nothing of its previous use may reach a guest that reads with caches off.
			 */
			dcache_zero_range(pa, pa + (PAGE_SIZE << order));
		}
		ipa += PAGE_SIZE << order;
		left -= MIN(left, PAGE_SIZE << order);
	}
	vm->ram_size = size;
	return on_demand ? vm_ram_demand_init(vm) : 0;
}

__cold void vm_free_ram(struct vm *vm)
{
	vm_ram_demand_free(vm);
	for (unsigned int i = 0; i < vm->nr_ram_chunks; i++) {
		const struct vm_ram_chunk *c = &vm->ram[i];

		page_free(c->pa, (unsigned int)(__builtin_ctzl(c->size) - PAGE_SHIFT));
		vm->ram[i] = (struct vm_ram_chunk){ 0 };
	}
	vm->nr_ram_chunks = 0;
	vm->ram_size = 0;
}

/*
 * Any vCPU on any pCPU may stop its VM (SYSTEM_OFF, the last CPU_OFF), and so may Tern. Each vCPU
 * is marked stopped under its pCPU's run-queue lock and that pCPU is kicked, wherever the vCPU
 * runs or sleeps; when the last VM stops every pCPU is kicked, so the boot pCPU leaves its idle
 * WFI and powers off whichever pCPU saw the stop.
 */
__cold void vm_stop(struct vm *vm, const char *reason)
{
	bool was_live;

	spin_lock(&vm->lock);
	if (vm->state == VM_STOPPED) {
		spin_unlock(&vm->lock);
		return;
	}
	was_live = vm->state == VM_RUNNING || vm->state == VM_PAUSED;
	vm_set_state(vm, VM_STOPPED);
	vm->stop_reason = reason;
	spin_unlock(&vm->lock);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		sched_stop_vcpu(vm->vcpus[i], VCPU_STOPPED);
	vdev_stop_all(vm);
	pr_info("vm%u: stopped: %s\n", vm->id, reason);
	/* Last: once no VM is live, the boot pCPU may report and power off at once. */
	if (was_live && __atomic_sub_fetch(&vm_live, 1, __ATOMIC_ACQ_REL) == 0) {
		if (IS_ENABLED(CONFIG_ALL_STOPPED_STAY_UP))
			pr_info(
			    "boot: every VM has stopped: Tern stays up (Ctrl-] then : opens its "
			    "console)\n");
		sched_kick_all();
	}
}

/* A VM has run since boot: until then Tern waits at the console whatever the policy. */
static bool vm_any_started;

void vm_mark_live(void)
{
	WRITE_ONCE(vm_any_started, true);
	__atomic_fetch_add(&vm_live, 1, __ATOMIC_RELEASE);
}

bool vm_machine_up(void)
{
	return vm_nr_live() || IS_ENABLED(CONFIG_ALL_STOPPED_STAY_UP) || !READ_ONCE(vm_any_started);
}

__cold bool vm_reset(struct vm *vm, const char *reason)
{
	bool first;

	spin_lock(&vm->lock);
	first = !vm->reset_pending;
	if (first) {
		vm->reset_reason = reason;
		__atomic_store_n(&vm->reset_pending, true, __ATOMIC_RELEASE);
	}
	spin_unlock(&vm->lock);
	/* Its vCPUs on other pCPUs leave the guest now; the first pCPU to see it does the reset. */
	for (unsigned int i = 0; first && i < vm->nr_vcpus; i++)
		sched_exit_guest(vm->vcpus[i]);
	return first;
}

static struct spinlock vm_life_locks[CONFIG_NR_VMS];

void vm_life_lock(unsigned int id)
{
	spin_lock(&vm_life_locks[id]);
}

void vm_life_unlock(unsigned int id)
{
	spin_unlock(&vm_life_locks[id]);
}

__attribute__((weak)) void vm_irq_set_level(struct vm *vm, u32 intid, bool level)
{
	(void)vm;
	(void)intid;
	(void)level;
}

__attribute__((weak)) void vm_irq_set_level_deferred(struct vm *vm, u32 intid, bool level)
{
	(void)vm;
	(void)intid;
	(void)level;
}
