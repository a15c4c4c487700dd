// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vCPU scheduler (core/sched.c) on the host against fakes: a counter the test advances
 * (arch_timer_*) with the one EL2 timer event per pCPU recorded, vCPU timer deadlines the test
 * sets (vtimer_*), scripted guest runs (vcpu_arch_run calls the test's script once per exit),
 * recorded kick SGIs (irq_send_sgi), and two struct pcpu for "this" pCPU and another one. The point
 * where sched_idle unmasks interrupts is unit_irq_window() (tests/unit/include/asm/sysreg.h), where
 * a test fires the timer event or ends the run.
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
#include <tern/sched_enter.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/vgic_core.h>
#include <virt/vpl011.h>
#include "stub_printk.h"

#define NR_TEST_PCPUS 2
#define NR_VCPUS      3
#define FREQ	      1000000ULL /* 1 MHz: one tick per microsecond */
#define SLICE	      (CONFIG_SCHED_SLICE_MS * 1000ULL)
#define GRAN	      ((u64)CONFIG_SCHED_WAKE_GRANULARITY_US)
#define MAX_LOG	      64
#define MAX_ROUNDS    1000 /* a test's sched_run rounds: far more than any test needs */
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
	bool hw_wake[NR_VCPUS]; /* vtimer_hw_will_wake */
	bool pending[NR_VCPUS]; /* what vgic_block_if_idle finds */
	unsigned int block_calls, pending_calls, snapshots;
	/* Kick SGIs sent: target MPIDRs. */
	u64 sgi_mpidr[MAX_LOG];
	unsigned int nr_sgis;
	irq_handler_t kick_fn;
	int irq_err;
	/* Guest exits: the vCPU of each, loads, puts, resets. */
	unsigned int ran[MAX_LOG];
	unsigned int nr_runs;
	unsigned int loads, puts, arch_resets, vm_resets, uart_flushes;
	run_fn run;
	unsigned int max_runs; /* after this many runs the VM stops */
	unsigned int live;
	/* Exits the fake exit loop re-entered the guest after, without returning. */
	unsigned int reentries;
	void (*irq_window)(void);
	unsigned int idles;
	unsigned int rounds; /* vm_machine_up calls */
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

bool vtimer_hw_will_wake(const struct vcpu *v)
{
	/* Only asked of a vCPU asleep still loaded on this pCPU, about this pCPU's hardware. */
	assert_ptr_equal(this_pcpu()->lazy, v);
	return fake.hw_wake[v->id];
}

void vtimer_ptimer_line(struct vcpu *v)
{
	(void)v;
}

void vtimer_snapshot(struct vcpu *v)
{
	/* Only for a vCPU kept loaded on this pCPU. */
	assert_true(v->loaded);
	assert_ptr_equal(this_pcpu()->current_vcpu, v);
	fake.snapshots++;
}

bool vgic_block_if_idle(struct vcpu *v)
{
	fake.block_calls++;
	if (fake.pending[v->id])
		return false;
	return sched_block(v);
}

bool vgic_vcpu_pending(struct vcpu *v)
{
	fake.pending_calls++;
	return fake.pending[v->id];
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
	/* Picked under its pCPU's lock before it is loaded, and only on its own pCPU. */
	assert_true(v->on_pcpu);
	assert_int_equal(v->state, VCPU_RUNNING);
	assert_ptr_equal(pcpu_get(v->pcpu), this_pcpu());
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

/*
 * The arch's exit loop (arch/arm64/exit.c): each script call is one guest exit. A handled exit
 * (VCPU_RUN_CONTINUE) enters the guest again without returning while sched_may_enter() allows,
 * as the real one does; the EL2 timer firing is a physical-interrupt exit, which returns.
 */
enum vcpu_run_result vcpu_arch_run(struct vcpu *v)
{
	enum vcpu_run_result r;

	do {
		unsigned int call = fake.nr_runs;
		bool irq;

		assert_true(v->loaded);
		assert_ptr_equal(this_pcpu()->current_vcpu, v);
		assert_true(fake.nr_runs < MAX_LOG);
		fake.ran[fake.nr_runs++] = v->id;
		r = fake.run ? fake.run(v, call) : VCPU_RUN_YIELD;
		/* The EL2 timer fires in the guest when the counter passes its event. */
		irq = fake.event_at != NO_DEADLINE && fake.now >= fake.event_at && fake.timer_fn;
		if (irq) {
			fake.event_at = NO_DEADLINE; /* the driver masks it before the handler */
			fake.timer_fn();
		}
		if (fake.nr_runs >= fake.max_runs) {
			fake.live = 0; /* the last VM stopped: this vCPU leaves the guest */
			return VCPU_RUN_YIELD;
		}
		if (irq)
			return r;
	} while (r == VCPU_RUN_CONTINUE && sched_may_enter(this_pcpu(), v) && ++fake.reentries);
	return r;
}

void vm_do_reset(struct vm *vm)
{
	fake.vm_resets++;
	/* The pCPU that calls it has put its vCPU and says so. */
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		assert_false(vm->vcpus[i]->on_pcpu);
	vm->reset_pending = false;
}

unsigned int vm_nr_live(void)
{
	return fake.live;
}

/*
 * sched_run asks this every round (and its idle path once more): a bound turns a scheduler that
 * would loop for ever (say, picking again and again a vCPU that may not run) into a failure.
 */
bool vm_machine_up(void)
{
	if (++fake.rounds > MAX_ROUNDS)
		fail_msg("sched_run: still running after %u rounds (a vCPU that may not run picked "
			 "again and again?)",
			 MAX_ROUNDS);
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
	static struct pcpu offline; /* pCPUs the test does not have: never online */

	assert_true(id < CONFIG_MAX_PCPUS);
	return id < NR_TEST_PCPUS ? &pcpus[id] : &offline;
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
		sched_place_vcpu(&vcpus[i], 0);
	}
	stub_printk_reset();
	return 0;
}

/* Pin vCPU @i to pCPU @pcpu instead (the placed lists are rebuilt in vCPU order). */
static void place(unsigned int i, unsigned int pcpu)
{
	unsigned int where[NR_VCPUS];

	for (unsigned int k = 0; k < NR_VCPUS; k++)
		where[k] = k == i ? pcpu : vcpus[k].pcpu;
	for (unsigned int k = 0; k < NR_TEST_PCPUS; k++)
		pcpus[k].placed = NULL;
	for (unsigned int k = 0; k < NR_VCPUS; k++)
		sched_place_vcpu(&vcpus[k], where[k]);
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

static void test_placement_lists(void **state)
{
	(void)state;
	/* setup() pinned every vCPU to pCPU 0, in order. */
	assert_ptr_equal(pcpus[0].placed, &vcpus[0]);
	assert_ptr_equal(vcpus[0].placed_next, &vcpus[1]);
	assert_ptr_equal(vcpus[1].placed_next, &vcpus[2]);
	assert_null(vcpus[2].placed_next);
	assert_null(pcpus[1].placed);
	place(1, 1);
	assert_int_equal(vcpus[1].pcpu, 1);
	assert_ptr_equal(pcpus[1].placed, &vcpus[1]);
	assert_null(vcpus[1].placed_next);
	assert_ptr_equal(vcpus[0].placed_next, &vcpus[2]);
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
	for (unsigned int i = 0; i < NR_VCPUS; i++) {
		assert_int_equal(vcpus[i].state, VCPU_READY);
		assert_false(vcpus[i].on_pcpu);
	}
	/* The one that ran last is at the tail again, once. */
	assert_int_equal(rq_len(p), 3);
	assert_ptr_equal(rq_at(p, 0), &vcpus[1]);
	assert_ptr_equal(rq_at(p, 2), &vcpus[0]);
}

static void test_wake(void **state)
{
	(void)state;
	vcpus[1].state = VCPU_BLOCKED;
	sched_wake(&vcpus[1]);
	assert_int_equal(vcpus[1].state, VCPU_READY);
	assert_true(vcpus[1].queued);
	assert_false(vcpus[1].boosted); /* a CPU_ON or a start, not an interrupt */
	assert_ptr_equal(pcpus[0].rq_head, &vcpus[1]);
	assert_int_equal(fake.nr_sgis, 0);

	/* A vCPU pinned to the other pCPU: queued there, and that pCPU is kicked. */
	place(2, 1);
	vcpus[2].state = VCPU_OFF;
	sched_wake(&vcpus[2]);
	assert_int_equal(vcpus[2].state, VCPU_READY);
	assert_ptr_equal(pcpus[1].rq_head, &vcpus[2]);
	assert_int_equal(rq_len(&pcpus[0]), 1);
	assert_int_equal(fake.nr_sgis, 1);
	assert_int_equal(fake.sgi_mpidr[0], pcpus[1].mpidr);

	/* Still on its pCPU (RUNNING, WFI) or stopped: left alone; its pCPU decides when it puts
	 * it. */
	vcpus[0].state = VCPU_RUNNING;
	sched_wake(&vcpus[0]);
	assert_int_equal(vcpus[0].state, VCPU_RUNNING);
	assert_false(vcpus[0].queued);
	vcpus[0].state = VCPU_STOPPED;
	sched_wake(&vcpus[0]);
	assert_int_equal(vcpus[0].state, VCPU_STOPPED);
	assert_false(vcpus[0].queued);
}

static void test_kick_notifies_after_the_vgic_lock(void **state)
{
	(void)state;
	place(0, 1);
	place(2, 1);
	/* Running on the other pCPU: an SGI to it, but only once the caller flushes. */
	vcpus[0].state = VCPU_RUNNING;
	sched_kick(&vcpus[0]);
	assert_int_equal(fake.nr_sgis, 0);
	assert_int_equal(pcpus[0].kick_mask, 1U << 1);
	sched_kick_flush();
	assert_int_equal(fake.nr_sgis, 1);
	assert_int_equal(fake.sgi_mpidr[0], pcpus[1].mpidr);
	assert_int_equal(pcpus[0].kick_mask, 0);
	assert_false(vcpus[0].queued);

	/* Running on this pCPU: the exit in progress will see it. */
	vcpus[1].state = VCPU_RUNNING;
	sched_kick(&vcpus[1]);
	sched_kick_flush();
	assert_int_equal(fake.nr_sgis, 1);

	/* OFF, STOPPED: nothing. */
	static const enum vcpu_state quiet[] = { VCPU_OFF, VCPU_STOPPED };
	for (unsigned int i = 0; i < ARRAY_SIZE(quiet); i++) {
		vcpus[2].state = quiet[i];
		sched_kick(&vcpus[2]);
		sched_kick_flush();
		assert_int_equal(vcpus[2].state, quiet[i]);
		assert_false(vcpus[2].queued);
	}
	assert_int_equal(fake.nr_sgis, 1);

	/* Blocked: woken onto its own pCPU's queue, boosted, and that pCPU kicked. */
	vcpus[2].state = VCPU_BLOCKED;
	sched_kick(&vcpus[2]);
	assert_int_equal(vcpus[2].state, VCPU_READY);
	assert_ptr_equal(pcpus[1].rq_head, &vcpus[2]);
	assert_true(vcpus[2].boosted);
	sched_kick_flush();
	assert_int_equal(fake.nr_sgis, 2);
	assert_int_equal(fake.sgi_mpidr[1], pcpus[1].mpidr);

	/* From the other pCPU's point of view, pCPU 0 is the remote one. */
	unit_this_pcpu = &pcpus[1];
	sched_kick(&vcpus[1]);
	sched_kick(&vcpus[0]);
	sched_kick_flush();
	assert_int_equal(fake.nr_sgis, 3);
	assert_int_equal(fake.sgi_mpidr[2], pcpus[0].mpidr);
}

static void test_boosted_go_first_in_wake_order(void **state)
{
	struct pcpu *p = &pcpus[0];

	(void)state;
	sched_wake(&vcpus[0]);
	sched_wake(&vcpus[1]);
	vcpus[2].state = VCPU_BLOCKED;
	sched_kick(&vcpus[2]); /* woken by an interrupt: ahead of 0 and 1 */
	sched_kick(&vcpus[1]); /* an interrupt for a waiting vCPU: moves up behind 2 */
	sched_kick(&vcpus[2]); /* already boosted: stays */
	sched_kick_flush();
	assert_int_equal(rq_len(p), 3);
	assert_ptr_equal(rq_at(p, 0), &vcpus[2]);
	assert_ptr_equal(rq_at(p, 1), &vcpus[1]);
	assert_ptr_equal(rq_at(p, 2), &vcpus[0]);
	assert_ptr_equal(p->rq_boost_tail, &vcpus[1]);
	assert_true(vcpus[1].boosted && vcpus[2].boosted && !vcpus[0].boosted);
	fake.max_runs = 3;
	sched_run();
	static const unsigned int want[] = { 2, 1, 0 };
	assert_ran(want, 3);
	/* Back in the queue after a yield: not boosted any more. */
	for (unsigned int i = 0; i < NR_VCPUS; i++)
		assert_false(vcpus[i].boosted);
}

/* vCPUs 1 and 2 wake each other and sleep, 1 ms per run; vCPU 0 just computes. */
static enum vcpu_run_result run_wake_the_other(struct vcpu *v, unsigned int call)
{
	(void)call;
	fake.now += 1000;
	if (v->id == 0)
		return VCPU_RUN_YIELD;
	sched_kick(&vcpus[3 - v->id]);
	sched_kick_flush();
	return VCPU_RUN_WAIT;
}

static void test_fifo_not_starved_by_wakeups(void **state)
{
	(void)state;
	fake.run = run_wake_the_other;
	vcpus[2].state = VCPU_BLOCKED;
	sched_wake(&vcpus[0]); /* queued at 1000 */
	vcpus[1].state = VCPU_BLOCKED;
	sched_kick(&vcpus[1]);
	sched_kick_flush();
	fake.max_runs = 13;
	sched_run();
	/*
	 * The woken ones go first while vCPU 0 has waited less than a slice; the boosted pick at
	 * 11000 (vCPU 0 waited 10 ms) promises it the next one.
	 */
	static const unsigned int want[] = { 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 0, 2 };
	assert_ran(want, ARRAY_SIZE(want));
}

static enum vcpu_run_result run_wait(struct vcpu *v, unsigned int call)
{
	(void)v;
	(void)call;
	return VCPU_RUN_WAIT;
}

static void test_wait_nothing_pending_blocks(void **state)
{
	(void)state;
	fake.run = run_wait;
	sched_wake(&vcpus[0]);
	sched_run(); /* runs vCPU 0 once, then idles: the fake idle ends the loop */
	assert_int_equal(fake.nr_runs, 1);
	assert_int_equal(fake.block_calls, 1);
	assert_int_equal(vcpus[0].state, VCPU_BLOCKED);
	assert_false(vcpus[0].queued);
	assert_false(vcpus[0].on_pcpu);
	assert_null(pcpus[0].rq_head);
	assert_int_equal(fake.idles, 1);
	/* No timer anywhere: the EL2 timer is off while idle. */
	assert_int_equal(fake.event_at, NO_DEADLINE);
	/* Only a vCPU in WFI goes to sleep. */
	vcpus[1].state = VCPU_STOPPED;
	assert_false(sched_block(&vcpus[1]));
	assert_int_equal(vcpus[1].state, VCPU_STOPPED);
}

static void test_wait_with_pending_keeps_running(void **state)
{
	(void)state;
	fake.run = run_wait;
	fake.pending[0] = true;
	fake.max_runs = 3;
	sched_wake(&vcpus[0]);
	sched_run();
	/* As on hardware, WFI with an interrupt pending returns at once: no switch. */
	static const unsigned int want[] = { 0, 0, 0 };
	assert_ran(want, 3);
	assert_int_equal(fake.loads, 1);
	assert_int_equal(fake.block_calls, 0);
	assert_int_equal(fake.idles, 0);

	/*
	 * Its timer already due when it is put (another vCPU waits, so it is put): requeued
	 * (boosted) without asking the vGIC.
	 */
	setup(state);
	fake.run = run_wait;
	fake.vtimer[0] = fake.now;
	fake.pending[1] = true;
	fake.max_runs = 2;
	sched_wake(&vcpus[0]);
	sched_wake(&vcpus[1]);
	sched_run();
	static const unsigned int want2[] = { 0, 0 };
	assert_ran(want2, 2);
	assert_int_equal(fake.loads, 2);
	assert_int_equal(fake.block_calls, 0);
}

static void idle_fire_timer(void)
{
	/* The pCPU sleeps until its EL2 timer; then the timer interrupt is taken. */
	assert_true(fake.event_at != NO_DEADLINE);
	fake.now = fake.event_at;
	fake.event_at = NO_DEADLINE; /* the driver masks it before the handler */
	fake.timer_fn();
}

static void test_sleeper_woken_when_deadline_passes(void **state)
{
	(void)state;
	fake.run = run_wait;
	fake.irq_window = idle_fire_timer;
	fake.vtimer[1] = 5000;
	fake.max_runs = 3;
	sched_wake(&vcpus[1]);
	sched_wake(&vcpus[0]);
	sched_run();
	/*
	 * vCPU 1 blocked in WFI and was put (vCPU 0 waited); vCPU 0 blocked too, kept loaded; the
	 * pCPU idled with its timer at vCPU 1's 5000, then vCPU 1 ran again: vCPU 0 was put first.
	 */
	static const unsigned int want[] = { 1, 0, 1 };
	assert_ran(want, 3);
	assert_int_equal(fake.idles, 1);
	assert_int_equal(fake.now, 5000);
	assert_int_equal(fake.loads, 3);
	assert_int_equal(fake.puts, 3); /* the last at the end of sched_run */
	assert_int_equal(vcpus[0].state, VCPU_BLOCKED);
	assert_false(vcpus[0].on_pcpu);
}

/* A vCPU alone on its pCPU that sleeps in WFI stays loaded; woken, it runs without a load. */
static enum vcpu_run_result run_wait_then_kicked(struct vcpu *v, unsigned int call)
{
	if (call == 0)
		return VCPU_RUN_WAIT;
	(void)v;
	return VCPU_RUN_YIELD;
}

static void idle_interrupt_for_vcpu0(void)
{
	/* Its virtual timer's PPI, taken while the pCPU idles: the vGIC kicks it. */
	assert_ptr_equal(pcpus[0].lazy, &vcpus[0]);
	assert_true(vcpus[0].loaded && vcpus[0].on_pcpu);
	assert_int_equal(vcpus[0].state, VCPU_BLOCKED);
	assert_int_equal(fake.snapshots, 1); /* its live timer read before deciding */
	assert_int_equal(fake.event_at, 5000);
	sched_kick(&vcpus[0]);
	sched_kick_flush();
}

static void test_lazy_put_kept_loaded_while_asleep(void **state)
{
	(void)state;
	fake.run = run_wait_then_kicked;
	fake.irq_window = idle_interrupt_for_vcpu0;
	fake.vtimer[0] = 5000; /* not due yet: it sleeps; its PPI comes first here */
	fake.max_runs = 2;
	sched_wake(&vcpus[0]);
	sched_run();
	assert_int_equal(fake.nr_runs, 2);
	assert_int_equal(fake.idles, 1);
	assert_int_equal(fake.loads, 1);
	assert_int_equal(fake.puts, 1); /* only when sched_run returns */
	assert_null(pcpus[0].lazy);
}

static void idle_vtimer_ppi_for_vcpu0(void)
{
	/* Asleep although its timer is due; no EL2 timer: the PPI the hardware raises wakes it. */
	assert_ptr_equal(pcpus[0].lazy, &vcpus[0]);
	assert_int_equal(vcpus[0].state, VCPU_BLOCKED);
	assert_int_equal(fake.event_at, NO_DEADLINE);
	sched_kick(&vcpus[0]);
	sched_kick_flush();
}

/*
 * A vCPU kept loaded whose virtual timer is already due sleeps if the hardware will raise its
 * interrupt (on QEMU, late): neither WFI nor the sleepers' check sends it back into the guest
 * to WFI again. If the hardware will not (its host PPI still active), it runs on, as before.
 */
static void test_lazy_due_vtimer_sleeps_until_its_ppi(void **state)
{
	fake.run = run_wait_then_kicked;
	fake.irq_window = idle_vtimer_ppi_for_vcpu0;
	fake.now = 7000;
	fake.vtimer[0] = 6000;
	fake.ptimer[0] = NO_DEADLINE;
	fake.hw_wake[0] = true;
	fake.max_runs = 2;
	sched_wake(&vcpus[0]);
	sched_run();
	assert_int_equal(fake.nr_runs, 2);
	assert_int_equal(fake.block_calls, 1);
	assert_int_equal(fake.idles, 1);
	assert_int_equal(fake.loads, 1);

	setup(state);
	fake.run = run_wait;
	fake.now = 7000;
	fake.vtimer[0] = 6000;
	fake.ptimer[0] = NO_DEADLINE;
	fake.max_runs = 3;
	sched_wake(&vcpus[0]);
	sched_run();
	static const unsigned int want[] = { 0, 0, 0 };
	assert_ran(want, 3);
	assert_int_equal(fake.block_calls, 0);
	assert_int_equal(fake.idles, 0);

	/* The emulated physical timer due: the scheduler wakes it, whatever the hardware does. */
	setup(state);
	fake.run = run_wait;
	fake.now = 7000;
	fake.vtimer[0] = 6000;
	fake.ptimer[0] = 6500;
	fake.hw_wake[0] = true;
	fake.max_runs = 3;
	sched_wake(&vcpus[0]);
	sched_run();
	assert_ran(want, 3);
	assert_int_equal(fake.block_calls, 0);
}

/* Stopped from another pCPU while it sleeps loaded: its pCPU puts it (a reset waits for that). */
static void idle_stop_vcpu0(void)
{
	if (pcpus[0].lazy != &vcpus[0]) {
		fake.live = 0;
		return;
	}
	unit_this_pcpu = &pcpus[1];
	sched_stop_vcpu(&vcpus[0], VCPU_OFF);
	unit_this_pcpu = &pcpus[0];
	assert_int_equal(fake.nr_sgis, 1); /* pCPU 0 is kicked */
	assert_true(vcpus[0].on_pcpu);
}

static void test_lazy_put_when_stopped(void **state)
{
	(void)state;
	fake.run = run_wait;
	fake.irq_window = idle_stop_vcpu0;
	sched_wake(&vcpus[0]);
	sched_run();
	assert_int_equal(fake.nr_runs, 1);
	assert_int_equal(fake.idles, 2);
	assert_int_equal(fake.puts, 1);
	assert_false(vcpus[0].on_pcpu);
	assert_false(vcpus[0].loaded);
	assert_int_equal(vcpus[0].state, VCPU_OFF);
}

/* vCPU @i executed WFI with its timer due at @deadline and went to sleep on its pCPU. */
static void sleep_until(unsigned int i, u64 deadline)
{
	fake.vtimer[i] = deadline;
	vcpus[i].state = VCPU_RUNNING; /* taken out of the guest, its pCPU deciding */
	assert_true(sched_block(&vcpus[i]));
	assert_int_equal(vcpus[i].state, VCPU_BLOCKED);
}

/*
 * Without the vGIC lock (nothing was queued when its caller looked): an interrupt another pCPU
 * queued since, or one injected straight into a list register, keeps the vCPU awake; the queue
 * is looked at again under the run-queue lock, which that pCPU's kick takes after queueing.
 */
static void test_block_unqueued_looks_again(void **state)
{
	struct vgic_cpu c;
	struct vgic_irq irq;

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(&irq, 0, sizeof(irq));
	vcpus[1].vgic = &c;
	vcpus[1].state = VCPU_RUNNING;
	c.ap_list = &irq;
	assert_false(sched_block_unqueued(&vcpus[1]));
	assert_int_equal(vcpus[1].state, VCPU_RUNNING);
	c.ap_list = NULL;
	c.lr_new = 1;
	assert_false(sched_block_unqueued(&vcpus[1]));
	assert_int_equal(vcpus[1].state, VCPU_RUNNING);
	c.lr_new = 0;
	fake.vtimer[1] = 5000;
	assert_true(sched_block_unqueued(&vcpus[1]));
	assert_int_equal(vcpus[1].state, VCPU_BLOCKED);
	assert_ptr_equal(pcpus[0].sleepers, &vcpus[1]);
	/* Stopped, or switched off, meanwhile: not put to sleep. */
	vcpus[2].vgic = &c;
	vcpus[2].state = VCPU_STOPPED;
	assert_false(sched_block_unqueued(&vcpus[2]));
	assert_int_equal(vcpus[2].state, VCPU_STOPPED);
	vcpus[2].state = VCPU_RUNNING;
	vcpus[2].power = VCPU_POWER_OFF;
	assert_false(sched_block_unqueued(&vcpus[2]));
	assert_int_equal(vcpus[2].state, VCPU_RUNNING);
	vcpus[1].vgic = vcpus[2].vgic = NULL;
}

static void test_sleepers_only_of_this_pcpu(void **state)
{
	(void)state;
	/* Deadline passed, but pinned to another pCPU: left asleep. */
	place(0, 1);
	sleep_until(0, 10);
	sleep_until(1, 20000);
	sleep_until(2, 3000);
	assert_ptr_equal(pcpus[0].sleepers, &vcpus[2]); /* earliest first */
	assert_ptr_equal(vcpus[2].sleep_next, &vcpus[1]);
	assert_ptr_equal(pcpus[1].sleepers, &vcpus[0]);
	sched_timer_update();
	assert_int_equal(vcpus[0].state, VCPU_BLOCKED);
	assert_int_equal(fake.event_at, 3000); /* the earliest of this pCPU's sleepers */
	fake.now = 3000;
	sched_timer_update();
	assert_int_equal(vcpus[2].state, VCPU_READY);
	assert_true(vcpus[2].boosted);
	assert_ptr_equal(pcpus[0].rq_head, &vcpus[2]);
	assert_int_equal(vcpus[1].state, VCPU_BLOCKED);
	assert_int_equal(fake.event_at, 20000);
	/* pCPU 1 wakes its own. */
	unit_this_pcpu = &pcpus[1];
	sched_timer_update();
	assert_int_equal(vcpus[0].state, VCPU_READY);
	assert_ptr_equal(pcpus[1].rq_head, &vcpus[0]);
}

/* A sleeper woken or stopped by another pCPU leaves the list: its old deadline wakes nobody. */
static void test_sleeper_list_follows_wakes_and_stops(void **state)
{
	(void)state;
	sleep_until(0, NO_DEADLINE); /* no timer: never on the list */
	sleep_until(1, 5000);
	sleep_until(2, 3000);
	assert_false(vcpus[0].sleeping);
	assert_ptr_equal(pcpus[0].sleepers, &vcpus[2]);
	unit_this_pcpu = &pcpus[1];
	sched_kick(&vcpus[2]);
	sched_stop_vcpu(&vcpus[1], VCPU_STOPPED);
	unit_this_pcpu = &pcpus[0];
	assert_null(pcpus[0].sleepers);
	assert_false(vcpus[1].sleeping);
	assert_false(vcpus[2].sleeping);
	fake.now = 6000;
	sched_timer_update();
	assert_int_equal(vcpus[1].state, VCPU_STOPPED);
	assert_int_equal(vcpus[0].state, VCPU_BLOCKED);
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
	assert_int_equal(vcpus[0].state, VCPU_READY);
	assert_int_equal(pcpus[0].slice_end, NO_DEADLINE);
}

static enum vcpu_run_result run_busy_then_wake(struct vcpu *v, unsigned int call)
{
	fake.now += 4000;
	if (call == 1) {
		/* Another vCPU becomes runnable on this pCPU: the running one gets a slice. */
		assert_int_equal(fake.event_at, NO_DEADLINE);
		vcpus[1].state = VCPU_OFF;
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
	/* Alone, vCPU 0 has no slice; made runnable at 9000, vCPU 1 runs when it ends (19000). */
	static const unsigned int want[] = { 0, 0, 0, 0, 0, 1 };
	assert_ran(want, ARRAY_SIZE(want));
}

/* vCPU 0 runs 100 ticks per entry; at its 3rd entry an interrupt wakes vCPU 1 (same pCPU). */
static enum vcpu_run_result run_then_interrupt(struct vcpu *v, unsigned int call)
{
	fake.now += 100;
	if (v->id == 0 && call == 2) {
		sched_kick(&vcpus[1]);
		sched_kick_flush();
		/* vCPU 0 was loaded at 1000: it keeps the pCPU until it has run GRAN. */
		assert_int_equal(this_pcpu()->slice_end, 1000 + GRAN);
		assert_int_equal(fake.event_at, 1000 + GRAN);
	}
	return VCPU_RUN_CONTINUE;
}

static void test_wakeup_preempts_after_granularity(void **state)
{
	(void)state;
	assert_true(GRAN > 300 && GRAN < SLICE);
	fake.run = run_then_interrupt;
	fake.max_runs = (unsigned int)(GRAN / 100) + 1;
	vcpus[1].state = VCPU_BLOCKED;
	sched_wake(&vcpus[0]);
	sched_run();
	/* vCPU 0 runs GRAN / 100 entries (not a whole slice), then the woken vCPU 1. */
	assert_int_equal(fake.ran[GRAN / 100 - 1], 0);
	assert_int_equal(fake.ran[GRAN / 100], 1);
	assert_int_equal(fake.loads, 2);
}

/* vCPU 0 has run longer than GRAN when vCPU 1 is woken: it gives way at once. */
static enum vcpu_run_result run_long_then_interrupt(struct vcpu *v, unsigned int call)
{
	fake.now += GRAN;
	if (v->id == 0 && call == 1) {
		sched_kick(&vcpus[1]);
		sched_kick_flush();
		assert_true(this_pcpu()->need_resched);
	}
	return VCPU_RUN_CONTINUE;
}

static void test_wakeup_preempts_at_once_after_granularity(void **state)
{
	(void)state;
	fake.run = run_long_then_interrupt;
	fake.max_runs = 3;
	vcpus[1].state = VCPU_BLOCKED;
	sched_wake(&vcpus[0]);
	sched_run();
	static const unsigned int want[] = { 0, 0, 1 };
	assert_ran(want, 3);
}

static enum vcpu_run_result run_remote_wake(struct vcpu *v, unsigned int call)
{
	(void)v;
	fake.now += 1000;
	if (call == 0) {
		/* pCPU 1 wakes vCPU 1, pinned to pCPU 0: it queues it and kicks pCPU 0. */
		unit_this_pcpu = &pcpus[1];
		vcpus[1].state = VCPU_OFF;
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

/* Another pCPU stops the VM while vCPU 0 runs (between its pick and an entry). */
static enum vcpu_run_result run_stopped_remotely(struct vcpu *v, unsigned int call)
{
	(void)call;
	unit_this_pcpu = &pcpus[1];
	for (unsigned int i = 0; i < NR_VCPUS; i++)
		sched_stop_vcpu(&vcpus[i], VCPU_STOPPED);
	unit_this_pcpu = &pcpus[0];
	/* pCPU 0 is kicked for its vCPUs, wherever they are. */
	assert_true(fake.nr_sgis >= 1);
	assert_int_equal(fake.sgi_mpidr[0], pcpus[0].mpidr);
	assert_int_equal(v->state, VCPU_STOPPED);
	return VCPU_RUN_CONTINUE; /* the kick's exit: the loop must notice the stop */
}

static void test_stop_from_another_pcpu_is_never_lost(void **state)
{
	(void)state;
	fake.run = run_stopped_remotely;
	fake.max_runs = 5;
	sched_wake(&vcpus[0]);
	sched_wake(&vcpus[1]);
	sched_run(); /* the fake idle ends the test */
	assert_int_equal(fake.nr_runs, 1);
	for (unsigned int i = 0; i < NR_VCPUS; i++) {
		assert_int_equal(vcpus[i].state, VCPU_STOPPED);
		assert_false(vcpus[i].queued);
		assert_false(vcpus[i].on_pcpu);
	}
	assert_int_equal(fake.idles, 1);
}

static enum vcpu_run_result run_cpu_off(struct vcpu *v, unsigned int call)
{
	(void)call;
	v->power = VCPU_POWER_OFF; /* PSCI CPU_OFF */
	return VCPU_RUN_YIELD;
}

static void test_cpu_off_then_on(void **state)
{
	(void)state;
	fake.run = run_cpu_off;
	sched_wake(&vcpus[0]);
	sched_run();
	assert_int_equal(fake.nr_runs, 1);
	assert_int_equal(vcpus[0].state, VCPU_OFF);
	assert_false(vcpus[0].queued);
	/* CPU_ON: power ON_PENDING, then woken: it runs again from its new entry. */
	vcpus[0].power = VCPU_POWER_ON_PENDING;
	vcpus[0].boot_entry = 0x40001000;
	sched_wake(&vcpus[0]);
	assert_int_equal(vcpus[0].state, VCPU_READY);
	fake.run = NULL;
	fake.live = 1;
	fake.max_runs = 2;
	sched_run();
	assert_int_equal(fake.nr_runs, 2);
	assert_int_equal(fake.arch_resets, 1);
	assert_int_equal(vcpus[0].arch.regs.x[1], 0x40001000);
	assert_int_equal(vcpus[0].power, VCPU_POWER_ON);
}

static void test_not_runnable_skipped_and_power_on(void **state)
{
	(void)state;
	vcpus[1].power = VCPU_POWER_ON_PENDING;
	vcpus[1].boot_entry = 0x40080000;
	vcpus[1].boot_x0 = 0x1234;
	sched_wake(&vcpus[0]);
	sched_wake(&vcpus[1]);
	sched_wake(&vcpus[2]);
	/* Switched off and stopped after they were queued: dropped. */
	vcpus[0].power = VCPU_POWER_OFF;
	vcpus[2].state = VCPU_STOPPED;
	fake.max_runs = 2;
	sched_run();
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

	/* A vCPU picked while a reset is pending never enters the guest. */
	setup(state);
	vm_table[0].reset_pending = true;
	sched_wake(&vcpus[1]);
	sched_run();
	assert_int_equal(fake.nr_runs, 0);
	assert_int_equal(fake.loads, 1);
	assert_int_equal(fake.vm_resets, 1);
}

static void test_timer_update_includes_running_ptimer(void **state)
{
	(void)state;
	pcpus[0].timer_at = NO_DEADLINE; /* as sched_run() starts: the event off */
	pcpus[0].current_vcpu = &vcpus[0];
	fake.ptimer[0] = 7000;
	pcpus[0].slice_end = 9000;
	sched_timer_update();
	assert_int_equal(fake.event_at, 7000);
	/*
	 * While a vCPU runs, an event armed earlier than needed stays: it fires once and the
	 * timer event then arms the real one (test_timer_left_early_rearms_when_it_fires).
	 */
	fake.ptimer[0] = NO_DEADLINE;
	sched_timer_update();
	assert_int_equal(fake.event_at, 7000);
	assert_int_equal(fake.event_arms, 1);
	/* Earlier than what is armed: moved. */
	pcpus[0].slice_end = 6000;
	sched_timer_update();
	assert_int_equal(fake.event_at, 6000);
	/* Nothing running (the pCPU is about to idle): exact, so off. */
	pcpus[0].current_vcpu = NULL;
	pcpus[0].slice_end = NO_DEADLINE;
	sched_timer_update();
	assert_int_equal(fake.event_at, NO_DEADLINE);
	assert_true(fake.event_cancels > 0);
}

/*
 * vCPU 0 wakes vCPU 1 (its preemption armed at 1000 + GRAN) and then waits: vCPU 1 runs alone,
 * its emulated physical timer due at EARLY_PTIMER. The event armed for the moot preemption is
 * left (not cancelled, not moved later); when it fires, the timer event arms vCPU 1's timer.
 */
#define EARLY_PTIMER (1000 + GRAN + 5000)

static enum vcpu_run_result run_wake_then_wait(struct vcpu *v, unsigned int call)
{
	if (v->id == 0) {
		sched_kick(&vcpus[1]);
		sched_kick_flush();
		assert_int_equal(fake.event_at, 1000 + GRAN);
		return VCPU_RUN_WAIT;
	}
	if (fake.now < 1000 + GRAN) {
		/* Left early: vCPU 1's own deadline is later than what is armed. */
		assert_int_equal(fake.event_at, 1000 + GRAN);
	} else if (fake.now < EARLY_PTIMER) {
		/* Fired at the last exit: armed again, for vCPU 1's timer now. */
		assert_int_equal(fake.event_at, EARLY_PTIMER);
	}
	(void)call;
	fake.now += 300;
	return VCPU_RUN_CONTINUE;
}

static void test_timer_left_early_rearms_when_it_fires(void **state)
{
	(void)state;
	fake.run = run_wake_then_wait;
	fake.max_runs = (unsigned int)(GRAN / 300) + 8;
	fake.ptimer[1] = EARLY_PTIMER;
	vcpus[1].state = VCPU_BLOCKED;
	sched_wake(&vcpus[0]);
	sched_run();
	assert_int_equal(fake.ran[0], 0);
	for (unsigned int i = 1; i < fake.nr_runs; i++)
		assert_int_equal(fake.ran[i], 1);
	assert_true(fake.now > 1000 + GRAN);
	assert_int_equal(fake.event_arms, 2);
	assert_int_equal(fake.event_cancels, 0);
}

static void test_kick_all_and_exit_guest(void **state)
{
	(void)state;
	/* Every other online pCPU (the last VM stopped). */
	sched_kick_all();
	assert_int_equal(fake.nr_sgis, 1);
	assert_int_equal(fake.sgi_mpidr[0], pcpus[1].mpidr);
	pcpus[1].online = false;
	sched_kick_all();
	assert_int_equal(fake.nr_sgis, 1);
	/* A vCPU on another pCPU is made to exit; on this one nothing is sent. */
	place(2, 1);
	sched_exit_guest(&vcpus[2]);
	sched_exit_guest(&vcpus[0]);
	assert_int_equal(fake.nr_sgis, 2);
	assert_int_equal(fake.sgi_mpidr[1], pcpus[1].mpidr);
	/* Not on a pCPU: the wait for it returns at once. */
	sched_wait_off_pcpu(&vcpus[2]);
	assert_string_equal(vcpu_state_name(VCPU_BLOCKED), "blocked");
}

/* Another pCPU pauses the VM while vCPU 0 runs here: it leaves at this exit and is put. */
static enum vcpu_run_result run_paused_remotely(struct vcpu *v, unsigned int call)
{
	(void)call;
	for (unsigned int i = 0; i < NR_VCPUS; i++)
		sched_pause_vcpu(&vcpus[i]);
	return VCPU_RUN_CONTINUE;
}

static void test_pause_keeps_vcpus_off_every_queue(void **state)
{
	(void)state;
	/* Paused while running: it leaves the guest at once, is put and not queued again. */
	fake.run = run_paused_remotely;
	sched_wake(&vcpus[0]);
	sched_wake(&vcpus[1]);
	sched_run(); /* the fake idle ends the run (vm_machine_up bounds a run that does not end) */
	assert_int_equal(fake.nr_runs, 1);
	assert_int_equal(fake.loads, 1);
	assert_int_equal(fake.puts, 1);
	assert_int_equal(rq_len(&pcpus[0]), 0);
	for (unsigned int i = 0; i < NR_VCPUS; i++)
		assert_false(vcpus[i].on_pcpu);

	/* Whatever wakes a paused vCPU (a wake, an interrupt, its timer) does not queue it. */
	sched_wake(&vcpus[0]);
	vcpus[1].state = VCPU_BLOCKED;
	sched_kick(&vcpus[1]);
	sleep_until(2, fake.now - 1);
	sched_timer_update();
	for (unsigned int i = 0; i < NR_VCPUS; i++) {
		assert_int_equal(vcpus[i].state, VCPU_READY);
		assert_false(vcpus[i].queued);
	}
	fake.run = NULL;
	fake.live = 1;
	sched_run();
	assert_int_equal(fake.nr_runs, 1);

	/* Resume: each runnable vCPU is queued again and runs. */
	for (unsigned int i = 0; i < NR_VCPUS; i++)
		sched_resume_vcpu(&vcpus[i]);
	assert_int_equal(rq_len(&pcpus[0]), NR_VCPUS);
	fake.live = 1;
	fake.max_runs = 4;
	sched_run();
	static const unsigned int want[] = { 0, 0, 1, 2 };
	assert_ran(want, 4);
}

static void test_pause_puts_a_vcpu_kept_loaded(void **state)
{
	(void)state;
	/* Asleep and still loaded (lazy put) when the pause comes: its pCPU puts it. */
	fake.run = NULL;
	vcpus[0].state = VCPU_BLOCKED;
	vcpus[0].on_pcpu = true;
	pcpus[0].lazy = &vcpus[0];
	pcpus[0].current_vcpu = &vcpus[0];
	vcpus[0].loaded = true;
	sched_pause_vcpu(&vcpus[0]);
	sched_run(); /* idle: the lazy vCPU goes, then the fake idle ends the run */
	assert_int_equal(fake.puts, 1);
	assert_false(vcpus[0].on_pcpu);
	assert_null(pcpus[0].lazy);
	assert_int_equal(vcpus[0].state, VCPU_BLOCKED);
}

/*
 * The exit loop re-enters the guest after handled exits only while sched_may_enter() allows:
 * every request, from this pCPU or another, must make it false before the next entry.
 */
static unsigned int reentry_case;

static enum vcpu_run_result run_then_request(struct vcpu *v, unsigned int call)
{
	(void)v;
	fake.now += GRAN / 4;
	if (call != 4)
		return VCPU_RUN_CONTINUE;
	assert_true(sched_may_enter(this_pcpu(), v));
	switch (reentry_case) {
	case 0: /* a sleeper woken by an interrupt after the granularity: preempts at once */
		vcpus[1].state = VCPU_BLOCKED;
		sched_kick(&vcpus[1]);
		sched_kick_flush();
		break;
	case 1: /* Tern's own work for this pCPU */
		sched_return_to_tern();
		break;
	case 2: /* the VM paused from another pCPU */
		unit_this_pcpu = &pcpus[1];
		sched_pause_vcpu(v);
		unit_this_pcpu = &pcpus[0];
		break;
	case 3: /* stopped from another pCPU */
		unit_this_pcpu = &pcpus[1];
		sched_stop_vcpu(v, VCPU_STOPPED);
		unit_this_pcpu = &pcpus[0];
		break;
	default: /* the VM being reset */
		v->vm->reset_pending = true;
		break;
	}
	assert_false(sched_may_enter(this_pcpu(), v));
	return VCPU_RUN_CONTINUE;
}

static void test_exit_loop_stops_at_every_request(void **state)
{
	(void)state;
	for (reentry_case = 0; reentry_case < 5; reentry_case++) {
		setup(NULL);
		fake.run = run_then_request;
		fake.max_runs = 6;
		sched_wake(&vcpus[0]);
		sched_run();
		/* Exits 0-3 re-entered the guest in the exit loop, exit 4 went back to sched_run.
		 */
		assert_int_equal(fake.reentries, 4);
		assert_true(fake.nr_runs <= 6);
		if (reentry_case == 0)
			assert_int_equal(fake.ran[5], 1); /* the woken vCPU runs next */
		else if (reentry_case >= 2)
			assert_int_equal(fake.nr_runs, 5); /* vCPU 0 never entered again */
	}
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_run_returns_when_nothing_live),
		T(test_exit_loop_stops_at_every_request),
		T(test_placement_lists),
		T(test_fifo_order_no_double_enqueue),
		T(test_wake),
		T(test_kick_notifies_after_the_vgic_lock),
		T(test_boosted_go_first_in_wake_order),
		T(test_fifo_not_starved_by_wakeups),
		T(test_wait_nothing_pending_blocks),
		T(test_wait_with_pending_keeps_running),
		T(test_sleeper_woken_when_deadline_passes),
		T(test_lazy_put_kept_loaded_while_asleep),
		T(test_lazy_put_when_stopped),
		T(test_lazy_due_vtimer_sleeps_until_its_ppi),
		T(test_block_unqueued_looks_again),
		T(test_sleepers_only_of_this_pcpu),
		T(test_sleeper_list_follows_wakes_and_stops),
		T(test_round_robin_on_slice_end),
		T(test_slice_only_when_another_waits),
		T(test_wakeup_preempts_after_granularity),
		T(test_wakeup_preempts_at_once_after_granularity),
		T(test_kick_sgi_starts_slice),
		T(test_stop_from_another_pcpu_is_never_lost),
		T(test_cpu_off_then_on),
		T(test_not_runnable_skipped_and_power_on),
		T(test_reset_pending),
		T(test_timer_update_includes_running_ptimer),
		T(test_timer_left_early_rearms_when_it_fires),
		T(test_kick_all_and_exit_guest),
		T(test_pause_keeps_vcpus_off_every_queue),
		T(test_pause_puts_a_vcpu_kept_loaded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
