// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vCPU scheduler (core/sched.c) on the host against fakes: a counter the test advances
 * (arch_timer_*) with the one EL2 timer event per pCPU recorded, vCPU timer deadlines the test
 * sets (vtimer_*), scripted guest runs (vcpu_arch_run_once calls the test's script), recorded
 * kick SGIs (irq_send_sgi), and two struct pcpu for "this" pCPU and another one. The point where
 * sched_idle unmasks interrupts is unit_irq_window() (tests/unit/include/asm/sysreg.h), where a
 * test fires the timer event or ends the run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <asm/guest.h>
#include <asm/vtimer.h>
#include <drivers/arch_timer.h>
#include <tern/irq.h>
#include <tern/percpu.h>
#include <tern/sched.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/vgic_core.h>
#include <virt/vpl011.h>
#include "stub_printk.h"

#define NR_TEST_PCPUS 2
#define NR_VCPUS      3
#define FREQ	      1000000ULL /* 1 MHz: one tick per microsecond */
#define SLICE	      (CONFIG_SCHED_SLICE_MS * 1000ULL)
#define MAX_LOG	      64
#define KICK_SGI      0
#define NO_DEADLINE   VTIMER_NO_DEADLINE

typedef enum vcpu_run_result (*run_fn)(struct vcpu *v, unsigned int call);

static struct {
	u64 now;
	u64 event_at; /* NO_DEADLINE: cancelled */
	unsigned int event_arms, event_cancels;
	void (*timer_fn)(void);
	u64 vtimer[NR_VCPUS];	/* vtimer_deadline */
	u64 ptimer[NR_VCPUS];	/* vtimer_ptimer_deadline */
	bool pending[NR_VCPUS]; /* what vgic_block_if_idle finds */
	unsigned int block_calls;
	/* Kick SGIs sent: target MPIDRs. */
	u64 sgi_mpidr[MAX_LOG];
	unsigned int nr_sgis;
	irq_handler_t kick_fn;
	int irq_err;
	/* Guest runs: the vCPU of each vcpu_arch_run_once, loads, puts, resets. */
	unsigned int ran[MAX_LOG];
	unsigned int nr_runs;
	unsigned int loads, puts, arch_resets, vm_resets, uart_flushes;
	run_fn run;
	unsigned int max_runs; /* after this many runs the VM stops */
	unsigned int live;
	void (*irq_window)(void);
	unsigned int idles;
} fake;

struct vm vm_table[CONFIG_NR_VMS];
static struct vcpu vcpus[NR_VCPUS];
static struct pcpu pcpus[NR_TEST_PCPUS];
struct pcpu *unit_this_pcpu = &pcpus[0];
static int uart_dummy;

u64 arch_timer_now(void)
{
	return fake.now;
}

u64 arch_timer_freq(void)
{
	return FREQ;
}

int arch_timer_event_init_cpu(void (*fn)(void))
{
	fake.timer_fn = fn;
	return 0;
}

void arch_timer_event_at(u64 when)
{
	fake.event_at = when;
	fake.event_arms++;
}

void arch_timer_event_cancel(void)
{
	fake.event_at = NO_DEADLINE;
	fake.event_cancels++;
}

u64 vtimer_deadline(const struct vcpu *v)
{
	return fake.vtimer[v->id];
}

u64 vtimer_ptimer_deadline(const struct vcpu *v)
{
	return fake.ptimer[v->id];
}

void vtimer_ptimer_update(struct vcpu *v)
{
	(void)v;
}

bool vgic_block_if_idle(struct vcpu *v)
{
	fake.block_calls++;
	if (fake.pending[v->id])
		return false;
	v->state = VCPU_BLOCKED;
	return true;
}

int irq_request(unsigned int intid, irq_handler_t fn, void *priv)
{
	(void)priv;
	if (intid == KICK_SGI)
		fake.kick_fn = fn;
	return fake.irq_err;
}

void irq_send_sgi(unsigned int sgi, u64 mpidr)
{
	assert_int_equal(sgi, KICK_SGI);
	assert_true(fake.nr_sgis < MAX_LOG);
	fake.sgi_mpidr[fake.nr_sgis++] = mpidr;
}

void vcpu_arch_reset(struct vcpu *v, u64 entry, u64 x0)
{
	fake.arch_resets++;
	v->arch.regs.x[0] = x0;
	v->arch.regs.x[1] = entry;
}

void vcpu_arch_load(struct vcpu *v)
{
	assert_false(v->loaded);
	fake.loads++;
	this_pcpu()->current_vcpu = v;
	v->loaded = true;
}

void vcpu_arch_put(struct vcpu *v)
{
	assert_true(v->loaded);
	fake.puts++;
	this_pcpu()->current_vcpu = NULL;
	v->loaded = false;
}

enum vcpu_run_result vcpu_arch_run_once(struct vcpu *v)
{
	unsigned int call = fake.nr_runs;
	enum vcpu_run_result r;

	assert_true(v->loaded);
	assert_ptr_equal(this_pcpu()->current_vcpu, v);
	assert_true(fake.nr_runs < MAX_LOG);
	fake.ran[fake.nr_runs++] = v->id;
	r = fake.run ? fake.run(v, call) : VCPU_RUN_YIELD;
	/* The EL2 timer fires in the guest when the counter passes its event. */
	if (fake.event_at != NO_DEADLINE && fake.now >= fake.event_at && fake.timer_fn)
		fake.timer_fn();
	if (fake.nr_runs >= fake.max_runs) {
		fake.live = 0; /* the last VM stopped: this vCPU leaves the guest */
		return VCPU_RUN_YIELD;
	}
	return r;
}

void vm_do_reset(struct vm *vm)
{
	fake.vm_resets++;
	vm->reset_pending = false;
}

unsigned int vm_nr_live(void)
{
	return fake.live;
}

/* A device type whose scheduler hook counts its calls (a console flushes held output there). */
static void count_put(struct vdev *dev)
{
	assert_ptr_equal(dev->priv, &uart_dummy);
	fake.uart_flushes++;
}

static const struct vdev_type counting_type = { .name = "counting", .vcpu_put = count_put };

struct pcpu *pcpu_get(unsigned int id)
{
	assert_true(id < NR_TEST_PCPUS);
	return &pcpus[id];
}

void unit_irq_window(void)
{
	fake.idles++;
	if (fake.irq_window)
		fake.irq_window();
	else
		fake.live = 0; /* nothing scripted: an idle pCPU ends the test's run */
}

/* ---- helpers ---- */

static int setup(void **state)
{
	struct vm *vm = &vm_table[0];

	(void)state;
	memset(&fake, 0, sizeof(fake));
	memset(vm_table, 0, sizeof(vm_table));
	memset(vcpus, 0, sizeof(vcpus));
	memset(pcpus, 0, sizeof(pcpus));
	fake.now = 1000;
	fake.event_at = NO_DEADLINE;
	fake.max_runs = MAX_LOG;
	fake.live = 1;
	for (unsigned int i = 0; i < NR_VCPUS; i++)
		fake.vtimer[i] = fake.ptimer[i] = NO_DEADLINE;
	for (unsigned int i = 0; i < NR_TEST_PCPUS; i++) {
		pcpus[i].id = i;
		pcpus[i].mpidr = 0x80000000ULL | (i << 8) | 0x10 * (i + 1);
		pcpus[i].slice_end = NO_DEADLINE;
		pcpus[i].online = true;
	}
	unit_this_pcpu = &pcpus[0];
	vm->state = VM_RUNNING;
	vm->nr_vcpus = NR_VCPUS;
	vm->nr_vdevs = 1;
	vm->vdevs[0] = (struct vdev){ .type = &counting_type, .vm = vm, .priv = &uart_dummy };
	for (unsigned int i = 0; i < NR_VCPUS; i++) {
		vcpus[i].id = i;
		vcpus[i].vm = vm;
		vcpus[i].state = VCPU_READY;
		vcpus[i].power = VCPU_POWER_ON;
		vm->vcpus[i] = &vcpus[i];
	}
	stub_printk_reset();
	return 0;
}

static unsigned int rq_len(const struct pcpu *p)
{
	unsigned int n = 0;

	for (const struct vcpu *v = p->rq_head; v; v = v->rq_next) {
		assert_true(v->queued);
		n++;
		if (!v->rq_next)
			assert_ptr_equal(p->rq_tail, v);
	}
	return n;
}

static const struct vcpu *rq_at(const struct pcpu *p, unsigned int i)
{
	const struct vcpu *v = p->rq_head;

	while (v && i--)
		v = v->rq_next;
	return v;
}

static void assert_ran(const unsigned int *want, unsigned int n)
{
	assert_int_equal(fake.nr_runs, n);
	for (unsigned int i = 0; i < n; i++) {
		if (fake.ran[i] != want[i])
			fail_msg("run %u: vCPU %u, expected vCPU %u", i, fake.ran[i], want[i]);
	}
}

/* ---- tests ---- */

static void test_run_returns_when_nothing_live(void **state)
{
	(void)state;
	fake.live = 0;
	sched_wake(&vcpus[0]);
	sched_run();
	assert_int_equal(fake.nr_runs, 0);
	assert_non_null(fake.timer_fn);
	assert_non_null(fake.kick_fn);
	assert_int_equal(pcpus[0].slice_end, NO_DEADLINE);
	/* Missing interrupts are reported, not fatal. */
	fake.irq_err = -1;
	sched_run();
	assert_true(stub_printk_contains("no kick SGI"));
}

static void test_fifo_order_no_double_enqueue(void **state)
{
	struct pcpu *p = &pcpus[0];

	(void)state;
	sched_wake(&vcpus[0]);
	sched_wake(&vcpus[1]);
	sched_wake(&vcpus[0]); /* already queued: stays where it is */
	sched_wake(&vcpus[2]);
	sched_wake(&vcpus[1]);
	assert_int_equal(rq_len(p), 3);
	assert_ptr_equal(rq_at(p, 0), &vcpus[0]);
	assert_ptr_equal(rq_at(p, 1), &vcpus[1]);
	assert_ptr_equal(rq_at(p, 2), &vcpus[2]);
	assert_int_equal(fake.nr_sgis, 0); /* all on this pCPU */

	/* Each yields: they run in queue order and go back to its tail. */
	fake.max_runs = 7;
	sched_run();
	static const unsigned int want[] = { 0, 1, 2, 0, 1, 2, 0 };
	assert_ran(want, ARRAY_SIZE(want));
	assert_int_equal(fake.loads, 7);
	assert_int_equal(fake.puts, 7);
	assert_int_equal(fake.uart_flushes, 7);
	for (unsigned int i = 0; i < NR_VCPUS; i++)
		assert_int_equal(vcpus[i].state, VCPU_READY);
	/* The one that ran last is at the tail again, once. */
	assert_int_equal(rq_len(p), 3);
	assert_ptr_equal(rq_at(p, 0), &vcpus[1]);
	assert_ptr_equal(rq_at(p, 2), &vcpus[0]);
}

static void test_wake_blocked(void **state)
{
	(void)state;
	vcpus[1].state = VCPU_BLOCKED;
	sched_wake(&vcpus[1]);
	assert_int_equal(vcpus[1].state, VCPU_READY);
	assert_true(vcpus[1].queued);
	assert_ptr_equal(pcpus[0].rq_head, &vcpus[1]);
	assert_int_equal(fake.nr_sgis, 0);

	/* A vCPU placed on the other pCPU: queued there, and that pCPU is kicked. */
	vcpus[2].pcpu = 1;
	vcpus[2].state = VCPU_BLOCKED;
	sched_wake(&vcpus[2]);
	assert_int_equal(vcpus[2].state, VCPU_READY);
	assert_ptr_equal(pcpus[1].rq_head, &vcpus[2]);
	assert_int_equal(rq_len(&pcpus[0]), 1);
	assert_int_equal(fake.nr_sgis, 1);
	assert_int_equal(fake.sgi_mpidr[0], pcpus[1].mpidr);

	/* Waking a vCPU that is not blocked leaves its state alone (PSCI CPU_ON's ON_PENDING). */
	vcpus[0].state = VCPU_OFF;
	sched_wake(&vcpus[0]);
	assert_int_equal(vcpus[0].state, VCPU_OFF);
	assert_true(vcpus[0].queued);
}

static void test_kick(void **state)
{
	(void)state;
	/* Loaded on the other pCPU: an SGI to that pCPU's MPIDR, nothing queued. */
	vcpus[0].pcpu = 1;
	vcpus[0].loaded = true;
	vcpus[0].state = VCPU_RUNNING;
	sched_kick(&vcpus[0]);
	assert_int_equal(fake.nr_sgis, 1);
	assert_int_equal(fake.sgi_mpidr[0], pcpus[1].mpidr);
	assert_false(vcpus[0].queued);

	/* Loaded on this pCPU: the exit in progress will see it, no SGI. */
	vcpus[1].pcpu = 0;
	vcpus[1].loaded = true;
	vcpus[1].state = VCPU_RUNNING;
	sched_kick(&vcpus[1]);
	assert_int_equal(fake.nr_sgis, 1);

	/* Not loaded and READY (queued somewhere already): nothing to do. */
	vcpus[2].pcpu = 1;
	sched_kick(&vcpus[2]);
	assert_int_equal(fake.nr_sgis, 1);
	assert_false(vcpus[2].queued);

	/* Blocked: woken onto its own pCPU's queue (and that pCPU kicked). */
	vcpus[2].state = VCPU_BLOCKED;
	sched_kick(&vcpus[2]);
	assert_int_equal(vcpus[2].state, VCPU_READY);
	assert_ptr_equal(pcpus[1].rq_head, &vcpus[2]);
	assert_int_equal(fake.nr_sgis, 2);
	assert_int_equal(fake.sgi_mpidr[1], pcpus[1].mpidr);

	/* From the other pCPU's point of view, pCPU 0 is the remote one. */
	unit_this_pcpu = &pcpus[1];
	sched_kick(&vcpus[1]);
	assert_int_equal(fake.nr_sgis, 3);
	assert_int_equal(fake.sgi_mpidr[2], pcpus[0].mpidr);
	sched_kick(&vcpus[0]);
	assert_int_equal(fake.nr_sgis, 3);

	/* sched_kick_vcpus: every pCPU with a loaded vCPU of the VM, except this one. */
	unit_this_pcpu = &pcpus[0];
	fake.nr_sgis = 0;
	sched_kick_vcpus(&vm_table[0]);
	assert_int_equal(fake.nr_sgis, 1);
	assert_int_equal(fake.sgi_mpidr[0], pcpus[1].mpidr);
}

static enum vcpu_run_result run_wfi(struct vcpu *v, unsigned int call)
{
	(void)call;
	v->state = VCPU_WFI;
	return VCPU_RUN_YIELD;
}

static void test_wfi_nothing_pending_blocks(void **state)
{
	(void)state;
	fake.run = run_wfi;
	sched_wake(&vcpus[0]);
	sched_run(); /* runs vCPU 0 once, then idles: the fake idle ends the loop */
	assert_int_equal(fake.nr_runs, 1);
	assert_int_equal(fake.block_calls, 1);
	assert_int_equal(vcpus[0].state, VCPU_BLOCKED);
	assert_false(vcpus[0].queued);
	assert_null(pcpus[0].rq_head);
	assert_int_equal(fake.idles, 1);
	/* No timer anywhere: the EL2 timer is off while idle. */
	assert_int_equal(fake.event_at, NO_DEADLINE);
}

static void test_wfi_pending_requeues(void **state)
{
	(void)state;
	fake.run = run_wfi;
	fake.pending[0] = true;
	fake.max_runs = 3;
	sched_wake(&vcpus[0]);
	sched_run();
	static const unsigned int want[] = { 0, 0, 0 };
	assert_ran(want, 3);
	assert_int_equal(vcpus[0].state, VCPU_READY);
	assert_true(vcpus[0].queued);
	assert_int_equal(fake.idles, 0);

	/* Its timer already due: requeued without asking the vGIC. */
	setup(state);
	fake.run = run_wfi;
	fake.vtimer[0] = fake.now;
	fake.max_runs = 2;
	sched_wake(&vcpus[0]);
	sched_run();
	assert_int_equal(fake.nr_runs, 2);
	assert_int_equal(fake.block_calls, 0);
	assert_true(vcpus[0].queued);
}

static void idle_fire_timer(void)
{
	/* The pCPU sleeps until its EL2 timer; then the timer interrupt is taken. */
	assert_true(fake.event_at != NO_DEADLINE);
	fake.now = fake.event_at;
	fake.timer_fn();
}

static void test_sleeper_woken_when_deadline_passes(void **state)
{
	(void)state;
	fake.run = run_wfi;
	fake.irq_window = idle_fire_timer;
	fake.vtimer[1] = 5000;
	fake.max_runs = 2;
	sched_wake(&vcpus[1]);
	sched_run();
	/* vCPU 1 ran, blocked in WFI, the pCPU idled with its timer at 5000, then vCPU 1 ran again.
	 */
	static const unsigned int want[] = { 1, 1 };
	assert_ran(want, 2);
	assert_int_equal(fake.idles, 1);
	assert_int_equal(fake.now, 5000);
	assert_int_equal(fake.block_calls, 1);
	/* Second WFI: its deadline is now, so it is requeued, not blocked. */
	assert_int_equal(vcpus[1].state, VCPU_READY);
}

static void test_sleepers_only_of_this_pcpu_and_running_vms(void **state)
{
	(void)state;
	/* Deadlines passed, but on another pCPU or in a stopped VM: left asleep. */
	vcpus[0].state = VCPU_BLOCKED;
	vcpus[0].pcpu = 1;
	fake.vtimer[0] = 10;
	vcpus[1].state = VCPU_BLOCKED;
	fake.vtimer[1] = 20000;
	vcpus[2].state = VCPU_BLOCKED;
	fake.vtimer[2] = 3000;
	sched_timer_update();
	assert_int_equal(vcpus[0].state, VCPU_BLOCKED);
	assert_int_equal(fake.event_at, 3000); /* the earliest of this pCPU's sleepers */
	fake.now = 3000;
	sched_timer_update();
	assert_int_equal(vcpus[2].state, VCPU_READY);
	assert_ptr_equal(pcpus[0].rq_head, &vcpus[2]);
	assert_int_equal(vcpus[1].state, VCPU_BLOCKED);
	assert_int_equal(fake.event_at, 20000);
	vm_table[0].state = VM_PAUSED;
	fake.now = 30000;
	sched_timer_update();
	assert_int_equal(vcpus[1].state, VCPU_BLOCKED);
	assert_int_equal(fake.event_at, NO_DEADLINE);
}

/* The guest runs 4000 ticks per entry and never yields. */
static enum vcpu_run_result run_busy(struct vcpu *v, unsigned int call)
{
	(void)v;
	(void)call;
	fake.now += 4000;
	return VCPU_RUN_CONTINUE;
}

static void test_round_robin_on_slice_end(void **state)
{
	(void)state;
	assert_int_equal(SLICE, 10000);
	fake.run = run_busy;
	fake.max_runs = 9;
	sched_wake(&vcpus[0]);
	sched_wake(&vcpus[1]);
	sched_run();
	/* 10 ms slices of 4 ms runs: three entries each (the third crosses the slice end). */
	static const unsigned int want[] = { 0, 0, 0, 1, 1, 1, 0, 0, 0 };
	assert_ran(want, ARRAY_SIZE(want));
	assert_int_equal(fake.loads, 3);
	/* Each slice was armed 10 ms after its vCPU was loaded. */
	assert_int_equal(vcpus[0].state, VCPU_READY);
	assert_int_equal(pcpus[0].slice_end, NO_DEADLINE);
}

static enum vcpu_run_result run_busy_then_wake(struct vcpu *v, unsigned int call)
{
	fake.now += 4000;
	if (call == 1) {
		/* Another vCPU becomes runnable on this pCPU: the running one gets a slice. */
		assert_int_equal(fake.event_at, NO_DEADLINE);
		vcpus[1].state = VCPU_BLOCKED;
		sched_wake(&vcpus[1]);
		assert_int_equal(this_pcpu()->slice_end, fake.now + SLICE);
		assert_int_equal(fake.event_at, fake.now + SLICE);
	}
	(void)v;
	return VCPU_RUN_CONTINUE;
}

static void test_slice_only_when_another_waits(void **state)
{
	(void)state;
	fake.run = run_busy_then_wake;
	fake.max_runs = 6;
	sched_wake(&vcpus[0]);
	sched_run();
	/* Alone, vCPU 0 has no slice; woken at 9000, vCPU 1 runs after the slice ends (19000). */
	static const unsigned int want[] = { 0, 0, 0, 0, 0, 1 };
	assert_ran(want, ARRAY_SIZE(want));
}

static enum vcpu_run_result run_remote_wake(struct vcpu *v, unsigned int call)
{
	(void)v;
	fake.now += 1000;
	if (call == 0) {
		/* pCPU 1 wakes vCPU 1, placed on pCPU 0: it queues it and kicks pCPU 0. */
		unit_this_pcpu = &pcpus[1];
		vcpus[1].state = VCPU_BLOCKED;
		sched_wake(&vcpus[1]);
		unit_this_pcpu = &pcpus[0];
		assert_int_equal(fake.nr_sgis, 1);
		assert_int_equal(fake.sgi_mpidr[0], pcpus[0].mpidr);
		assert_int_equal(pcpus[0].slice_end, NO_DEADLINE);
		/* The kick SGI exits the guest on pCPU 0: its handler starts the slice. */
		fake.kick_fn(KICK_SGI, NULL);
		assert_int_equal(pcpus[0].slice_end, fake.now + SLICE);
		assert_int_equal(fake.event_at, fake.now + SLICE);
	}
	return VCPU_RUN_CONTINUE;
}

static void test_kick_sgi_starts_slice(void **state)
{
	(void)state;
	fake.run = run_remote_wake;
	fake.max_runs = 13;
	sched_wake(&vcpus[0]);
	sched_run();
	/* Slice from 2000 to 12000: vCPU 0 runs 11 entries (to 12000), then vCPU 1. */
	assert_int_equal(fake.ran[10], 0);
	assert_int_equal(fake.ran[11], 1);
}

static enum vcpu_run_result run_stop_vm(struct vcpu *v, unsigned int call)
{
	(void)call;
	v->vm->state = VM_STOPPED;
	for (unsigned int i = 0; i < v->vm->nr_vcpus; i++)
		v->vm->vcpus[i]->state = VCPU_STOPPED;
	fake.live = 0;
	return VCPU_RUN_YIELD;
}

static void test_run_returns_when_vm_stops(void **state)
{
	(void)state;
	fake.run = run_stop_vm;
	sched_wake(&vcpus[0]);
	sched_wake(&vcpus[1]);
	sched_run();
	assert_int_equal(fake.nr_runs, 1);
	assert_int_equal(vcpus[0].state, VCPU_STOPPED);
	assert_false(vcpus[0].queued);
	assert_int_equal(fake.idles, 0);
}

static void test_not_runnable_skipped_and_power_on(void **state)
{
	(void)state;
	vcpus[0].power = VCPU_POWER_OFF;
	vcpus[1].power = VCPU_POWER_ON_PENDING;
	vcpus[1].boot_entry = 0x40080000;
	vcpus[1].boot_x0 = 0x1234;
	vcpus[2].state = VCPU_STOPPED;
	sched_wake(&vcpus[0]);
	sched_wake(&vcpus[1]);
	sched_wake(&vcpus[2]);
	fake.max_runs = 2;
	sched_run();
	/* vCPU 0 (off) and 2 (stopped) are dropped from the queue; vCPU 1 runs, twice. */
	static const unsigned int want[] = { 1, 1 };
	assert_ran(want, 2);
	assert_int_equal(fake.arch_resets, 1);
	assert_int_equal(vcpus[1].power, VCPU_POWER_ON);
	assert_int_equal(vcpus[1].arch.regs.x[0], 0x1234);
	assert_int_equal(vcpus[1].arch.regs.x[1], 0x40080000);
	assert_false(vcpus[0].queued);
	assert_false(vcpus[2].queued);
}

static enum vcpu_run_result run_reset(struct vcpu *v, unsigned int call)
{
	(void)call;
	v->vm->reset_pending = true;
	return VCPU_RUN_CONTINUE; /* the loop leaves on reset_pending alone */
}

static void test_reset_pending(void **state)
{
	(void)state;
	fake.run = run_reset;
	sched_wake(&vcpus[0]);
	sched_run();
	assert_int_equal(fake.nr_runs, 1);
	assert_int_equal(fake.vm_resets, 1);
	assert_false(vcpus[0].queued); /* vm_do_reset decides who runs next */
	assert_int_equal(fake.puts, 1);
}

static void test_timer_update_includes_running_ptimer(void **state)
{
	(void)state;
	pcpus[0].current_vcpu = &vcpus[0];
	fake.ptimer[0] = 7000;
	pcpus[0].slice_end = 9000;
	sched_timer_update();
	assert_int_equal(fake.event_at, 7000);
	fake.ptimer[0] = NO_DEADLINE;
	sched_timer_update();
	assert_int_equal(fake.event_at, 9000);
	pcpus[0].slice_end = NO_DEADLINE;
	sched_timer_update();
	assert_int_equal(fake.event_at, NO_DEADLINE);
	assert_true(fake.event_cancels > 0);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_run_returns_when_nothing_live),
		T(test_fifo_order_no_double_enqueue),
		T(test_wake_blocked),
		T(test_kick),
		T(test_wfi_nothing_pending_blocks),
		T(test_wfi_pending_requeues),
		T(test_sleeper_woken_when_deadline_passes),
		T(test_sleepers_only_of_this_pcpu_and_running_vms),
		T(test_round_robin_on_slice_end),
		T(test_slice_only_when_another_waits),
		T(test_kick_sgi_starts_slice),
		T(test_run_returns_when_vm_stops),
		T(test_not_runnable_skipped_and_power_on),
		T(test_reset_pending),
		T(test_timer_update_includes_running_ptimer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
