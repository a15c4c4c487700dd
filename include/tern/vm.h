/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_VM_H
#define TERN_VM_H

#include <asm/stage2.h>
#include <tern/console_vm.h>
#include <tern/loader.h>
#include <tern/mmio.h>
#include <tern/printk.h>
#include <tern/spinlock.h>
#include <tern/types.h>
#include <tern/kconfig.h>
#include <tern/vcpu.h>
#include <tern/vdev.h>
#include <tern/vm_config.h>

struct vm_config;
struct vgic_dist;

#define VM_MAX_VCPUS 8

/* Guest RAM in every VM, whatever host memory backs it; devices: virt/guest_map.h. */
#define GUEST_RAM_BASE 0x40000000UL

enum vm_state {
	VM_UNINITIALIZED,
	VM_READY,
	VM_RUNNING,
	VM_PAUSED,
	VM_STOPPED,
};

/* A boot image kept pristine by Tern (never mapped into any guest) and copied in at each start. */
struct vm_image {
	paddr_t pa;
	u64 size;
	ipa_t load; /* where it goes in guest RAM */
	u64 extent; /* bytes it occupies there (Image: image_size incl. bss) */
};

/* One physically contiguous piece of guest RAM. */
struct vm_ram_chunk {
	paddr_t pa;
	ipa_t ipa;
	u64 size;
};

#define VM_MAX_RAM_CHUNKS 64

struct vm {
	unsigned int id;
	enum vm_state state;
	struct spinlock lock;
	const struct vm_config *config;
	unsigned int nr_vcpus;
	struct vcpu *vcpus[VM_MAX_VCPUS];
	struct stage2 s2;
	struct mmio_bus mmio;
	u64 ram_size;
	unsigned int nr_ram_chunks;
	struct vm_ram_chunk ram[VM_MAX_RAM_CHUNKS];
	/* With config->ram_on_demand: a bit per 2 MiB block zeroed and mapped (vm_ram_demand.c),
	 * written under ram_lock; NULL: all of the RAM was zeroed and mapped at creation. */
	u64 *ram_ready;
	struct spinlock ram_lock;
	struct vm_image kernel;
	struct vm_image initrd;
	struct vm_image dtb;	    /* written once at creation, pristine */
	struct image_layout layout; /* of the kernel image */
	ipa_t entry;
	/* The instruction PSCI/SMCCC calls answer on (guest_type_conduit(config), once). */
	enum vm_psci_conduit smccc_conduit;
	bool reset_pending;
	bool resetting;
	/* The AArch64 ID registers (op0 3, op1 0, CRn 0, CRm 4-7, op2 0-7) the VM reads, through
	 * the exit fast path and the C path alike (arch/arm64/sysreg_id.c). */
	u64 id_fast[32];
	/*
	 * CNTVOFF_EL2, kept 0: the guest writes CNTV_CVAL_EL0 straight into the hardware (no trap
	 * without FEAT_ECV), which compares it against CNTPCT - CNTVOFF; emulators (QEMU 7.2)
	 * compute the deadline CVAL + CNTVOFF and stall the machine when it wraps, so a guest's
	 * CVAL of ~0 must not meet a non-zero offset.
	 */
	u64 cntvoff;
	const char *bootargs;
	/* The emulated devices (tern/vdev.h), in creation order. */
	unsigned int nr_vdevs;
	struct vdev vdevs[VM_MAX_VDEVS];
	/*
	 * Set by the console device (whose type has console_input) and the vGIC when the VM has
	 * them (vm->vdevs owns them).
	 */
	struct vdev *uart;
	struct console_vm console;
	struct vgic_dist *vgic;
	/* Why it stopped, for the report at power-off. */
	const char *stop_reason;
	/* Why a reset was requested (vm_reset), for its log line. */
	const char *reset_reason;
	unsigned int resets;
	/* Restarts after crashes since the console last started or restarted it (vm_policy.c). */
	unsigned int crash_restarts;
	/* Counter values when it was created and when it last started (or restarted). */
	u64 created_at;
	u64 started_at;
	/*
	 * A device holds output back (a line without its newline) that a vCPU put or physical
	 * interrupt exit pushes out (vdev_vcpu_put): an unlocked hint, so that the IRQ exit's
	 * fast path (virt/vgic_v3_fast.c) leaves such an exit to the full path.
	 */
	bool output_held;
};

/* Every VM Tern knows (created or not), by id. */
extern struct vm vm_table[CONFIG_NR_VMS];
/* VMs created and not yet stopped: the scheduler runs while this is non-zero. */
unsigned int vm_nr_live(void);
/* A VM entered VM_RUNNING (vm_start). */
void vm_mark_live(void);
/*
 * The pCPUs' scheduler loops run while this is true: a VM is live, or the machine stays up at
 * the hypervisor console (ALL_STOPPED_STAY_UP, or no VM has started yet). Once false the machine
 * powers off.
 */
bool vm_machine_up(void);

const char *vm_state_name(enum vm_state s);
/* Checked state transition; an illegal one is logged as a bug and refused. */
bool vm_set_state(struct vm *vm, enum vm_state to);

struct platform;

/*
 * Build VM @id from its Kconfig layout and its boot modules; -TERN_ENOENT without a kernel. On
 * any failure everything taken so far is given back (pages, stage-2 tables, the VMID's TLB
 * entries) and the VM stays VM_UNINITIALIZED.
 */
int vm_create(struct vm *vm, unsigned int id, const struct vm_config *cfg,
	      const struct platform *p);
/*
 * The reverse of vm_create() for a VM that is ready or stopped and has no vCPU loaded anywhere:
 * devices, vCPUs, DT, MMIO regions, RAM and stage-2 tables are freed, the VMID can be used
 * again, the VM is VM_UNINITIALIZED.
 */
void vm_destroy(struct vm *vm);
/* Copy the pristine images into guest RAM, cleaned to PoC, then invalidate the I-caches. */
int vm_load_images(struct vm *vm);
int vm_start(struct vm *vm);
/* Stop every vCPU of the VM, wherever it runs; @reason is kept for the exit report. */
void vm_stop(struct vm *vm, const char *reason);
/*
 * The guest's own lifecycle events, decided by the VM's Kconfig policy (core/vm_policy.c), from
 * the trap path of one of its vCPUs: it crashed (@what: what Tern saw, for the log), it powered
 * off (PSCI SYSTEM_OFF or its last CPU_OFF; @why for the log), it asked for a reset (PSCI
 * SYSTEM_RESET). Each stops the VM or requests a restart; the vCPU's run loop ends as its state
 * says.
 */
void vm_guest_crash(struct vcpu *vcpu, const char *what);
void vm_guest_poweroff(struct vm *vm, const char *why);
void vm_guest_reset(struct vm *vm);
/*
 * Ask for a restart from the pristine images (@reason for the log); the scheduler carries it out
 * (vm_do_reset). False if one was already pending: the two requests make one restart.
 */
bool vm_reset(struct vm *vm, const char *reason);
/*
 * Carry out a requested reset, from a pCPU's scheduler loop (no vCPU loaded on it): every vCPU
 * of the VM leaves its pCPU first. Nothing if no reset is pending (any more) or the VM is gone.
 */
void vm_do_reset(struct vm *vm);
/*
 * Serialise the whole-VM changes of VM @id (reset, stop and tear-down, creation, pause): held
 * across each, by whichever pCPU does it. Outside struct vm, which vm_create() clears. Taken
 * before any other lock.
 */
void vm_life_lock(unsigned int id);
void vm_life_unlock(unsigned int id);

struct vcpu *vm_vcpu_by_mpidr(struct vm *vm, u64 mpidr);
bool vm_ipa_in_ram(const struct vm *vm, ipa_t ipa, u64 size);
/*
 * Copy between Tern and guest RAM; -TERN_EFAULT unless the range is inside guest RAM. They do
 * the cache maintenance a guest running with its caches off needs: what is written (or zeroed)
 * is cleaned to the point of coherency, what is read is cleaned and invalidated first.
 */
int vm_copy_to_guest(struct vm *vm, ipa_t dst, const void *src, u64 len);
int vm_copy_from_guest(struct vm *vm, void *dst, ipa_t src, u64 len);
int vm_zero_guest(struct vm *vm, ipa_t ipa, u64 len);
/*
 * The same for a device model's accesses (virtio rings and request data): without the cache
 * maintenance while a vCPU of @vm with its MMU and data cache on is loaded on this pCPU (the one
 * that notified, as a rule), whose view of RAM is then as coherent as Tern's; with it otherwise.
 */
int vm_io_to_guest(struct vm *vm, ipa_t dst, const void *src, u64 len);
int vm_io_from_guest(struct vm *vm, void *dst, ipa_t src, u64 len);
/*
 * For a device model that reads or writes guest RAM through its own host pointers while the guest
 * runs (DMA-like: virtio rings and buffers): call vm_sync_for_guest() after writing
 * [ipa, ipa + len), before the guest is told (used ring, interrupt), and vm_sync_for_tern()
 * before reading what the guest wrote there. Instruction caches are the guest's business, as
 * after a DMA. -TERN_EFAULT unless the range is inside guest RAM.
 */
int vm_sync_for_guest(struct vm *vm, ipa_t ipa, u64 len);
/*
 * The host physical address of guest RAM at @ipa and in *@contig how many bytes of guest RAM
 * follow it contiguously in host memory (guest RAM is contiguous for the guest, not the host);
 * 0 and *@contig 0 outside guest RAM. For a device that lets the machine's own devices reach
 * guest memory (DMA), which do no cache maintenance for a guest whose caches are off.
 */
paddr_t vm_ipa_to_pa(const struct vm *vm, ipa_t ipa, u64 *contig);
int vm_sync_for_tern(struct vm *vm, ipa_t ipa, u64 len);
/*
 * Back the VM's RAM with host blocks and map them at GUEST_RAM_BASE, zeroed (vm_create; with RAM
 * on demand, mapped and zeroed at first use). On failure the blocks taken so far stay in vm->ram
 * for vm_free_ram().
 */
int vm_alloc_ram(struct vm *vm, u64 size);
/* Give the RAM blocks back (after the stage-2 tables are gone or no vCPU can run). */
void vm_free_ram(struct vm *vm);
/* RAM on demand (vm_ram_demand.c): the ready bits for vm->ram_size, and giving them back. */
int vm_ram_demand_init(struct vm *vm);
void vm_ram_demand_free(struct vm *vm);
/*
 * Make [@ipa, @ipa + @len), inside guest RAM, zeroed and mapped if it is not yet, before Tern
 * reads or writes it for the guest or a device reaches it; 0 at once for a VM whose RAM was
 * prepared at creation. An error only when stage 2 has no memory left for its tables.
 */
int vm_ram_prepare_blocks(struct vm *vm, ipa_t ipa, u64 len);
/*
 * Tern is about to write [@ipa, @ipa + *@len) of an on-demand VM's RAM (*@len is cut at the end of
 * its 2 MiB block): if the block is not ready yet, prepare it with that part written from @src
 * (zeroed if NULL) and cleaned to the point of coherency instead of zeroed, so the block is never
 * zeroed only to be overwritten and never mapped half-written. 1 when written here, 0 when the
 * block was ready (the caller writes), < 0 on error.
 */
int vm_ram_prepare_fill(struct vm *vm, ipa_t ipa, u64 *len, const u8 *src);
static inline int vm_ram_prepare(struct vm *vm, ipa_t ipa, u64 len)
{
	/* Inline: on every copy to or from guest RAM, where most VMs have nothing to prepare. */
	return vm->ram_ready ? vm_ram_prepare_blocks(vm, ipa, len) : 0;
}
/*
 * A stage-2 translation fault of the guest at @ipa: true when @ipa is RAM of an on-demand VM,
 * now zeroed and mapped (the access runs again); false for anything else (an emulated device,
 * nothing there), which the caller handles as before.
 */
bool vm_ram_fault(struct vm *vm, ipa_t ipa);

/* Exit counters summed over the VM's vCPUs (for the report at power-off). */
void vm_exit_counts(const struct vm *vm, u64 counts[EXIT_NR], u64 *undefs, u64 *aborts);
/*
 * The VM's statistics at @level: how it ended (or its state), resets, injected aborts and
 * undefs, exits by reason, interrupts its vCPUs took (the power-off report, the console's stats).
 */
void vm_print_stats(const struct vm *vm, enum log_level level);

/* Raise or lower an interrupt line of the VM's virtual GIC (no-op without a vGIC). */
void vm_irq_set_level(struct vm *vm, u32 intid, bool level);
/*
 * The same, but the pCPUs to wake are only noted: the caller runs sched_kick_flush() once it has
 * dropped its own lock. The wake-up is an SGI, which can take long on an emulator; a vCPU woken
 * by it that comes straight to the caller's device must not find the lock still held meanwhile.
 */
void vm_irq_set_level_deferred(struct vm *vm, u32 intid, bool level);

#endif
