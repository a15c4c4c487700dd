// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU scheduling. Every vCPU is pinned at boot to one pCPU of its VM's affinity mask
 * (sched_place_vcpu) and only ever runs there: no load balancing, so a vCPU's context, list
 * registers and lazily switched FP state never move, and VMs on disjoint masks never share a pCPU.
 * Each pCPU has one run queue of the vCPUs pinned to it. A vCPU runs until it yields (WFE, a PSCI
 * call that changes its state), its time slice ends (armed only while another vCPU waits), it is
 * preempted by a woken vCPU, or it executes WFI or CPU_SUSPEND with nothing pending: then it
 * sleeps until an interrupt is injected into it or one of its timers is due.
 *
 * Wake-up preemption: a vCPU woken by an interrupt or a timer, or sent an interrupt while it
 * waits, is "boosted": it goes ahead of the preempted vCPUs, and the running vCPU gives way once
 * it has run SCHED_WAKE_GRANULARITY_US since it was loaded. A preempted vCPU that has waited a
 * whole slice runs right after the next boosted one, so wake-ups cannot starve it.
 *
 * The state of a vCPU changes only under its pCPU's rq_lock: its own pCPU picking it (RUNNING)
 * and another pCPU stopping or resetting its VM cannot overwrite each other, and the run loop
 * re-reads the state before every guest entry after a kick.
 */
#include <asm/guest.h>
#include <asm/processor.h>
#include <asm/sysreg.h>
#include <asm/vtimer.h>
#include <drivers/arch_timer.h>
#include <tern/hypcon.h>
#include <tern/irq.h>
#include <tern/percpu.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/sched_enter.h>
#include <tern/vcpu.h>
#include <tern/vdev.h>
#include <tern/vm.h>
#include <virt/vgic_core.h>

#define SCHED_SLICE_US (CONFIG_SCHED_SLICE_MS * 1000UL)
#define SCHED_GRAN_US  ((u64)CONFIG_SCHED_WAKE_GRANULARITY_US)
/* The SGI pCPUs use to make each other look at their run queue or their vCPU's interrupts. */
#define SCHED_KICK_SGI 0

static u64 sched_ticks(u64 us)
{
	return us * arch_timer_freq() / 1000000;
}

/* The slice and the wake-up granularity in counter ticks (the frequency is fixed at boot). */
static u64 sched_slice_ticks, sched_gran_ticks;

const char *vcpu_state_name(enum vcpu_state s)
{
	static const char *const names[VCPU_NR_STATES] = {
		[VCPU_UNINITIALIZED] = "uninitialized",
		[VCPU_READY] = "ready",
		[VCPU_RUNNING] = "running",
		[VCPU_OFF] = "off",
		[VCPU_BLOCKED] = "blocked",
		[VCPU_STOPPED] = "stopped",
	};

	return s < VCPU_NR_STATES ? names[s] : "?";
}

/*
 * @v's pCPU: most often the calling one (a kick from the vCPU's own exit path, a block, a wake of
 * a sibling), found without pcpu_get()'s call and bounds check.
 */
static inline struct pcpu *sched_pcpu_of(const struct vcpu *v)
{
	struct pcpu *self = this_pcpu();

	return v->pcpu == self->id ? self : pcpu_get(v->pcpu);
}

/* ---- the run queue (rq_lock held) ---- */

/* Take @c, behind @prev (NULL: @c is the head), off the queue. */
static inline void rq_unlink(struct pcpu *p, struct vcpu *prev, struct vcpu *c)
{
	if (prev)
		prev->rq_next = c->rq_next;
	else
		p->rq_head = c->rq_next;
	if (p->rq_tail == c)
		p->rq_tail = prev;
	/* Boosted vCPUs are a prefix of the queue: the one before is boosted too. */
	if (p->rq_boost_tail == c)
		p->rq_boost_tail = prev;
	c->rq_next = NULL;
	c->queued = false;
	c->boosted = false;
}

static void rq_remove(struct pcpu *p, struct vcpu *v)
{
	struct vcpu *prev = NULL;

	for (struct vcpu *c = p->rq_head; c; prev = c, c = c->rq_next) {
		if (c == v) {
			rq_unlink(p, prev, c);
			return;
		}
	}
}

/* Queue @v (not queued) at the tail, or behind the other boosted vCPUs when @boost. */
static void rq_insert(struct pcpu *p, struct vcpu *v, bool boost)
{
	struct vcpu **pp = &p->rq_head;

	v->queued = true;
	v->boosted = boost;
	v->queued_at = arch_timer_now();
	if (boost) {
		if (p->rq_boost_tail)
			pp = &p->rq_boost_tail->rq_next;
		p->rq_boost_tail = v;
	} else if (p->rq_tail) {
		pp = &p->rq_tail->rq_next;
	}
	v->rq_next = *pp;
	*pp = v;
	if (!v->rq_next)
		p->rq_tail = v;
}

/* Queue a READY @v, or move it ahead when it gets boosted; a paused one stays off the queue. */
static void rq_make_ready(struct pcpu *p, struct vcpu *v, bool boost)
{
	if (v->paused || (v->queued && (v->boosted || !boost)))
		return;
	if (v->queued)
		rq_remove(p, v);
	rq_insert(p, v, boost);
}

/*
 * The next vCPU to run: the first boosted one. When a boosted one is picked while a preempted one
 * has already waited a whole slice, that one is promised the next pick: wake-ups cannot starve
 * the preempted vCPUs, and a woken vCPU never waits for more than the one running.
 */
static struct vcpu *rq_pick(struct pcpu *p)
{
	struct vcpu *v = p->rq_head;
	struct vcpu *fifo = p->rq_boost_tail ? p->rq_boost_tail->rq_next : p->rq_head;

	if (v && v->boosted && fifo && p->fifo_due)
		v = fifo;
	p->fifo_due =
	    v && v->boosted && fifo && arch_timer_now() - fifo->queued_at >= sched_slice_ticks;
	if (v != p->rq_head)
		rq_remove(p, v);
	else if (v)
		rq_unlink(p, NULL, v); /* the head, most often: no walk */
	return v;
}

/* ---- sleepers with a deadline (rq_lock held) ---- */

/* @v (VCPU_BLOCKED) onto its pCPU's sleeper list if one of its timers is armed. */
static void sleeper_insert(struct pcpu *p, struct vcpu *v)
{
	u64 d = vtimer_deadline(v);
	struct vcpu **pp = &p->sleepers;

	if (d == VTIMER_NO_DEADLINE)
		return;
	while (*pp && (*pp)->sleep_deadline <= d)
		pp = &(*pp)->sleep_next;
	v->sleep_deadline = d;
	v->sleep_next = *pp;
	*pp = v;
	v->sleeping = true;
}

/* @v leaves VCPU_BLOCKED (woken, stopped, unplaced): off the sleeper list. */
static void sleeper_remove(struct pcpu *p, struct vcpu *v)
{
	if (!v->sleeping)
		return;
	for (struct vcpu **pp = &p->sleepers; *pp; pp = &(*pp)->sleep_next) {
		if (*pp == v) {
			*pp = v->sleep_next;
			break;
		}
	}
	v->sleep_next = NULL;
	v->sleeping = false;
}

/* ---- preemption and kicks ---- */

/*
 * Ask this pCPU @p to go back to its scheduler's loop before the next guest entry: need_resched,
 * and the loaded vCPU's entry-work bit, which its exit path looks at instead of sched_may_enter().
 */
static void sched_resched(struct pcpu *p)
{
	p->need_resched = true;
	if (p->current_vcpu)
		vcpu_work_set(p->current_vcpu, VCPU_WORK_SCHED);
}

/*
 * This pCPU's queue changed while a vCPU runs here: a boosted head preempts it once it has run
 * the wake-up granularity, anything else gets a time slice if none runs yet. Returns whether the
 * slice end moved (earlier). Only the slice end changed then: the EL2 timer is armed no later
 * than every other event (sched_timer_update), so it moves only if the slice now ends before it
 * (sched_timer_earlier), without looking at the sleepers again at every wake-up.
 */
static bool sched_preempt_point(struct pcpu *p)
{
	const struct vcpu *head = READ_ONCE(p->rq_head);
	u64 now, end;

	if (!p->current_vcpu || !head)
		return false;
	now = arch_timer_now();
	if (READ_ONCE(head->boosted)) {
		end = p->run_start + sched_gran_ticks;
		if (end < now)
			end = now;
	} else {
		end = now + sched_slice_ticks;
	}
	if (end >= p->slice_end)
		return false;
	p->slice_end = end;
	if (end <= now) {
		p->slice_end = VTIMER_NO_DEADLINE;
		sched_resched(p);
	}
	return true;
}

static void sched_kick_irq(unsigned int intid, void *priv)
{
	(void)intid;
	(void)priv;
	/* The exit itself made the running vCPU's new interrupts reach its list registers. */
	if (sched_preempt_point(this_pcpu()))
		sched_timer_earlier(this_pcpu()->slice_end);
}

/* Make pCPU @p look at its queue and its vCPU's interrupts now: an SGI, or directly if it is us.
 */
static void sched_notify(struct pcpu *p)
{
	if (p != this_pcpu())
		irq_send_sgi(SCHED_KICK_SGI, p->mpidr);
	else if (sched_preempt_point(p))
		sched_timer_earlier(p->slice_end);
}

void sched_kick_all(void)
{
	for (unsigned int i = 0; i < CONFIG_MAX_PCPUS; i++) {
		struct pcpu *p = pcpu_get(i);

		if (p != this_pcpu() && READ_ONCE(p->online))
			irq_send_sgi(SCHED_KICK_SGI, p->mpidr);
	}
}

void sched_exit_guest(struct vcpu *vcpu)
{
	struct pcpu *p = pcpu_get(vcpu->pcpu);

	/* After the change that asked for this (a stop, a pause, a reset), before the kick. */
	vcpu_work_set(vcpu, VCPU_WORK_SCHED);
	if (p != this_pcpu())
		irq_send_sgi(SCHED_KICK_SGI, p->mpidr);
}

/* ---- state changes from anywhere ---- */

__cold void sched_place_vcpu(struct vcpu *vcpu, unsigned int pcpu)
{
	struct pcpu *p = pcpu_get(pcpu);
	struct vcpu **pp = &p->placed;

	spin_lock(&p->rq_lock);
	vcpu->pcpu = pcpu;
	vcpu->placed = true;
	while (*pp)
		pp = &(*pp)->placed_next;
	vcpu->placed_next = NULL;
	*pp = vcpu;
	spin_unlock(&p->rq_lock);
}

__cold void sched_unplace_vcpu(struct vcpu *vcpu)
{
	struct pcpu *p = pcpu_get(vcpu->pcpu);

	spin_lock(&p->rq_lock);
	if (vcpu->queued)
		rq_remove(p, vcpu);
	sleeper_remove(p, vcpu);
	for (struct vcpu **pp = &p->placed; *pp; pp = &(*pp)->placed_next) {
		if (*pp == vcpu) {
			*pp = vcpu->placed_next;
			vcpu->placed_next = NULL;
			break;
		}
	}
	vcpu->placed = false;
	spin_unlock(&p->rq_lock);
}

void sched_wake(struct vcpu *vcpu)
{
	struct pcpu *p = sched_pcpu_of(vcpu);
	bool notify = false;

	spin_lock(&p->rq_lock);
	if (vcpu->state == VCPU_OFF || vcpu->state == VCPU_BLOCKED ||
	    vcpu->state == VCPU_UNINITIALIZED) {
		sleeper_remove(p, vcpu);
		vcpu->state = VCPU_READY;
	}
	/* RUNNING or WFI: its own pCPU looks at its power state when it puts it. */
	if (vcpu->state == VCPU_READY) {
		rq_make_ready(p, vcpu, false);
		notify = true;
	}
	spin_unlock(&p->rq_lock);
	if (notify)
		sched_notify(p);
}

void sched_kick_flush(void)
{
	struct pcpu *self = this_pcpu();

	while (self->kick_mask) {
		unsigned int i = (unsigned int)__builtin_ctzll(self->kick_mask);

		self->kick_mask &= self->kick_mask - 1;
		sched_notify(i == self->id ? self : pcpu_get(i));
	}
}

void sched_return_to_tern(void)
{
	sched_resched(this_pcpu());
}

void sched_kick(struct vcpu *vcpu)
{
	struct pcpu *p = sched_pcpu_of(vcpu);
	bool notify = false;

	/*
	 * Running here: this is its exit path (an interrupt for it, its own SGI), whose next entry
	 * flushes the list registers; nothing to do. Only this pCPU makes one of its vCPUs RUNNING,
	 * and a stop from elsewhere (STOPPED) asks nothing of a kick either: no lock needed.
	 */
	if (p == this_pcpu() && READ_ONCE(vcpu->state) == VCPU_RUNNING)
		return;
	spin_lock(&p->rq_lock);
	switch (vcpu->state) {
	case VCPU_BLOCKED:
		sleeper_remove(p, vcpu);
		vcpu->state = VCPU_READY;
		rq_make_ready(p, vcpu, true);
		notify = true;
		break;
	case VCPU_READY:
		rq_make_ready(p, vcpu, true);
		notify = true;
		break;
	case VCPU_RUNNING:
		/*
		 * Running elsewhere: make it exit, so the interrupt reaches its list registers. Out
		 * of the guest after a WFI, its pCPU deciding whether it sleeps: that pCPU looks
		 * under the vGIC lock we hold, or finds its queue no longer empty under this lock
		 * (sched_block_unqueued); the kick is then only one look too many.
		 */
		notify = p != this_pcpu();
		break;
	default:
		/* OFF, STOPPED: nothing to do. */
		break;
	}
	spin_unlock(&p->rq_lock);
	/* The SGI (on QEMU: its global lock) waits until the vGIC lock is dropped. */
	if (notify)
		this_pcpu()->kick_mask |= BIT(vcpu->pcpu);
}

/*
 * The vCPU its pCPU took out of the guest after a WFI (still RUNNING: the decision is this) goes
 * to sleep (rq_lock held); not one stopped, switched off or reset meanwhile.
 */
static bool sched_sleep(struct pcpu *p, struct vcpu *v)
{
	if (v->state != VCPU_RUNNING || READ_ONCE(v->power) == VCPU_POWER_OFF)
		return false;
	v->state = VCPU_BLOCKED;
	sleeper_insert(p, v);
	return true;
}

bool sched_block(struct vcpu *vcpu)
{
	struct pcpu *p = sched_pcpu_of(vcpu);
	bool blocked;

	spin_lock(&p->rq_lock);
	blocked = sched_sleep(p, vcpu);
	spin_unlock(&p->rq_lock);
	return blocked;
}

bool sched_block_unqueued(struct vcpu *vcpu)
{
	struct pcpu *p = sched_pcpu_of(vcpu);
	bool blocked;

	spin_lock(&p->rq_lock);
	/*
	 * An injection from another pCPU queues the interrupt and then kicks under this lock:
	 * either that kick comes after this and wakes the vCPU, or the queue is seen here.
	 */
	blocked = vgic_vcpu_unqueued(vcpu) && sched_sleep(p, vcpu);
	spin_unlock(&p->rq_lock);
	return blocked;
}

__cold void sched_stop_vcpu(struct vcpu *vcpu, enum vcpu_state state)
{
	struct pcpu *p = pcpu_get(vcpu->pcpu);

	spin_lock(&p->rq_lock);
	sleeper_remove(p, vcpu);
	if (vcpu->state != VCPU_STOPPED)
		vcpu->state = state;
	if (vcpu->queued)
		rq_remove(p, vcpu);
	spin_unlock(&p->rq_lock);
	/* Wherever it is (in the guest, asleep, queued), its pCPU looks again. */
	sched_exit_guest(vcpu);
}

__cold void sched_pause_vcpu(struct vcpu *vcpu)
{
	struct pcpu *p = pcpu_get(vcpu->pcpu);

	spin_lock(&p->rq_lock);
	vcpu->paused = true;
	if (vcpu->queued)
		rq_remove(p, vcpu);
	spin_unlock(&p->rq_lock);
	/* Running: it leaves the guest at its next exit. Kept loaded asleep: its pCPU puts it. */
	sched_exit_guest(vcpu);
}

__cold void sched_resume_vcpu(struct vcpu *vcpu)
{
	struct pcpu *p = pcpu_get(vcpu->pcpu);
	bool notify;

	spin_lock(&p->rq_lock);
	vcpu->paused = false;
	/* Woken while paused (an interrupt, its timer), or preempted by the pause: runnable now. */
	notify = vcpu->state == VCPU_READY;
	if (notify)
		rq_make_ready(p, vcpu, false);
	spin_unlock(&p->rq_lock);
	if (notify)
		sched_notify(p);
}

void sched_wait_off_pcpu(struct vcpu *vcpu)
{
	/* sched_run sends an event (SEV) each time it clears on_pcpu. */
	while (__atomic_load_n(&vcpu->on_pcpu, __ATOMIC_ACQUIRE))
		cpu_relax();
}

/* ---- timers ---- */

/*
 * When the scheduler must wake @v, asleep on @p (0: now). The virtual timer of a vCPU asleep still
 * loaded on @p is left out once due if the hardware will raise its interrupt (armed, host PPI not
 * active), which wakes the vCPU: on QEMU that interrupt comes from QEMU's own timer, up to
 * milliseconds late on a busy host, and waking the vCPU until then made an idle Linux vCPU loop
 * on WFI exits (37,000 of a boot's 39,000; tens per 1 MiB disk read), its thread taking host CPU.
 */
static u64 sched_wake_deadline(struct pcpu *p, struct vcpu *v, u64 now)
{
	u64 d = vtimer_deadline(v);

	if (d > now)
		return d;
	if (p->lazy == v && vtimer_ptimer_deadline(v) > now && vtimer_hw_will_wake(v))
		return vtimer_ptimer_deadline(v);
	return 0;
}

/*
 * Wake the vCPUs asleep on @p whose timer is due; returns the next deadline of the others. Only
 * the due head of the sleeper list is looked at (the vCPU kept loaded that the hardware will
 * wake stays on it, passed over), however many vCPUs the pCPU has; an empty list (only this
 * pCPU adds to it) needs no lock.
 */
static u64 sched_check_sleepers(struct pcpu *p)
{
	u64 now, next = VTIMER_NO_DEADLINE;
	bool woke = false;
	struct vcpu *v, *n;

	if (!READ_ONCE(p->sleepers))
		return VTIMER_NO_DEADLINE;
	now = arch_timer_now();
	/* Under the lock: another pCPU may wake or stop (and the console free) a sleeper. */
	spin_lock(&p->rq_lock);
	for (v = p->sleepers; v && v->sleep_deadline <= now; v = n) {
		u64 d = sched_wake_deadline(p, v, now);

		n = v->sleep_next;
		if (d) {
			next = MIN(next, d);
			continue;
		}
		sleeper_remove(p, v);
		v->state = VCPU_READY;
		rq_make_ready(p, v, true);
		woke = true;
	}
	if (v)
		next = MIN(next, v->sleep_deadline);
	spin_unlock(&p->rq_lock);
	if (woke)
		sched_preempt_point(p);
	return next;
}

/* Program this pCPU's EL2 timer for its next event: a slice end, a sleeper's or the vCPU's timer.
 */
void sched_timer_update(void)
{
	struct pcpu *p = this_pcpu();
	struct vcpu *running = p->current_vcpu;
	u64 next = sched_check_sleepers(p);

	next = MIN(next, p->slice_end);
	if (running) {
		u64 ptimer = vtimer_ptimer_deadline(running); /* once: MIN() evaluates it twice */

		next = MIN(next, ptimer);
	}
	/*
	 * Reprogramming the EL2 timer costs a trap on some hosts: only when its deadline moves
	 * earlier, or, with no vCPU loaded (the pCPU about to idle), when it moves at all. While
	 * a vCPU is loaded, an event armed earlier than needed is left alone (a slice end armed
	 * when a vCPU was woken, made moot by the switch that followed): it fires at most once,
	 * and sched_timer_event() then arms the real next event. Each vCPU switch between two
	 * vCPUs that wake each other would otherwise arm it and cancel it again.
	 */
	if (next == p->timer_at || (running && next > p->timer_at))
		return;
	p->timer_at = next;
	if (next == VTIMER_NO_DEADLINE)
		arch_timer_event_cancel();
	else
		arch_timer_event_at(next);
}

void sched_timer_earlier(u64 deadline)
{
	if (deadline < this_pcpu()->timer_at)
		sched_timer_update();
}

static void sched_timer_event(void)
{
	struct pcpu *p = this_pcpu();

	/* The event fired and was masked: off until whatever comes next is programmed. */
	p->timer_at = VTIMER_NO_DEADLINE;
	if (p->current_vcpu)
		vtimer_ptimer_update(p->current_vcpu);
	if (arch_timer_now() >= p->slice_end) {
		p->slice_end = VTIMER_NO_DEADLINE;
		sched_resched(p);
	}
	sched_timer_update();
}

/* ---- this pCPU's loop ---- */

/* The next runnable vCPU of this pCPU's queue, now RUNNING, or NULL. */
static struct vcpu *sched_pick(struct pcpu *p)
{
	struct vcpu *v;

	spin_lock(&p->rq_lock);
	while ((v = rq_pick(p))) {
		/* Stale entries (stopped, switched off, reset) are dropped here. */
		if (v->state == VCPU_READY && v->power != VCPU_POWER_OFF &&
		    READ_ONCE(v->vm->state) == VM_RUNNING) {
			v->state = VCPU_RUNNING;
			v->on_pcpu = true;
			break;
		}
	}
	spin_unlock(&p->rq_lock);
	return v;
}

/* A PSCI CPU_ON (or the VM's start) is carried out when the vCPU first runs. */
static void sched_power_on(struct vcpu *v)
{
	struct vm *vm = v->vm;
	bool reset = false;
	u64 entry = 0, x0 = 0;

	if (READ_ONCE(v->power) != VCPU_POWER_ON_PENDING)
		return;
	spin_lock(&vm->lock);
	if (v->power == VCPU_POWER_ON_PENDING) {
		entry = v->boot_entry;
		x0 = v->boot_x0;
		v->power = VCPU_POWER_ON;
		reset = true;
	}
	spin_unlock(&vm->lock);
	if (reset)
		vcpu_arch_reset(v, entry, x0);
}

/* Switch @v off this pCPU: its context out of the hardware, and no longer on this pCPU. */
static void sched_put(struct vcpu *v)
{
	vcpu_arch_put(v);
	/* Devices that hold output (a prompt without a newline) let it out now. */
	vdev_vcpu_put(v->vm->vdevs, v->vm->nr_vdevs);
	__atomic_store_n(&v->on_pcpu, false, __ATOMIC_RELEASE);
	cpu_kick(); /* a reset on another pCPU may wait for this vCPU (sched_wait_off_pcpu) */
}

/* The vCPU that went to sleep here still loaded, if it must go (another runs, it was stopped). */
static void sched_put_lazy(struct pcpu *p)
{
	struct vcpu *v = p->lazy;

	p->lazy = NULL;
	sched_put(v);
}

/*
 * Run @v, picked on this pCPU, until it leaves the guest for the scheduler. Returns why, and
 * whether it stays loaded: a vCPU that executed WFI or CPU_SUSPEND with nothing else waiting on
 * its pCPU is not put (p->lazy): if it is the next to run, as it is when each vCPU has a pCPU of
 * its own, neither its context nor the hardware's translation state is switched at all.
 */
static enum vcpu_run_result sched_run_vcpu(struct pcpu *p, struct vcpu *v, bool *kept)
{
	enum vcpu_run_result r = VCPU_RUN_CONTINUE;

	if (p->lazy == v)
		p->lazy = NULL; /* still loaded */
	else
		vcpu_arch_load(v);
	p->need_resched = false;
	p->run_start = arch_timer_now();
	p->slice_end =
	    READ_ONCE(p->rq_head) ? p->run_start + sched_slice_ticks : VTIMER_NO_DEADLINE;
	sched_preempt_point(p);
	sched_timer_update();
	while (sched_may_enter(p, v)) {
		/*
		 * Handled exits, physical interrupts included, re-enter the guest in there while
		 * sched_may_enter() allows (held device output goes out at each interrupt).
		 */
		r = vcpu_arch_run(v);
		/* A WFI with an interrupt already pending does not sleep: as on hardware. */
		if (r == VCPU_RUN_WAIT && vgic_vcpu_pending(v))
			r = VCPU_RUN_CONTINUE;
		if (r != VCPU_RUN_CONTINUE)
			break;
	}
	p->slice_end = VTIMER_NO_DEADLINE;
	*kept = r == VCPU_RUN_WAIT && !READ_ONCE(p->rq_head) && sched_may_enter(p, v);
	if (*kept) {
		p->lazy = v;
		/* Its output is not held back while it sleeps. */
		vdev_vcpu_put(v->vm->vdevs, v->vm->nr_vdevs);
	} else {
		sched_put(v);
	}
	return r;
}

/*
 * The vCPU left the guest: back to the queue (boosted after a WFI it did not sleep in), or off,
 * unless it was stopped meanwhile.
 */
static void sched_requeue(struct pcpu *p, struct vcpu *v, bool boost)
{
	spin_lock(&p->rq_lock);
	if (v->state == VCPU_RUNNING) {
		if (READ_ONCE(v->power) == VCPU_POWER_OFF) {
			v->state = VCPU_OFF; /* CPU_OFF: a CPU_ON makes it READY again */
		} else {
			v->state = VCPU_READY;
			rq_make_ready(p, v, boost);
		}
	}
	spin_unlock(&p->rq_lock);
}

/*
 * After a WFI or CPU_SUSPEND: sleep only if nothing is pending and no timer is already due. The
 * vCPU stays RUNNING until then (no state of its own for the decision: one run-queue lock less
 * per switch). The check and the state change happen under the vGIC lock, under which every
 * injection kicks sleepers (sched_kick), so an interrupt cannot slip in between; with nothing
 * queued at all, under the run-queue lock alone (sched_block_unqueued). A vCPU still loaded
 * (lazy) has its timer registers in the hardware: they are read first (see sched_wake_deadline).
 */
static void sched_wait(struct pcpu *p, struct vcpu *v, bool loaded)
{
	if (loaded)
		vtimer_snapshot(v);
	if (sched_wake_deadline(p, v, arch_timer_now()) != 0 && vgic_block_if_idle(v))
		return;
	sched_requeue(p, v, true);
}

/* The vCPU left the guest: to sleep, back to the queue, or off. */
static void sched_after_run(struct pcpu *p, struct vcpu *v, enum vcpu_run_result r, bool kept)
{
	if (r == VCPU_RUN_WAIT)
		sched_wait(p, v, kept);
	else
		sched_requeue(p, v, false);
}

static void sched_idle(struct pcpu *p)
{
	/* A vCPU kept loaded that was stopped, switched off, paused or being reset is put now. */
	if (p->lazy && (READ_ONCE(p->lazy->state) != VCPU_BLOCKED || READ_ONCE(p->lazy->paused)))
		sched_put_lazy(p);
	sched_timer_update();
	if (READ_ONCE(p->rq_head) || !vm_machine_up() || hypcon_posted_here())
		return;
	/*
	 * WFI with interrupts still masked: it wakes on any pending interrupt, so a kick that
	 * arrives after the queue check cannot be consumed before the WFI and leave this pCPU
	 * asleep with a vCPU queued. Then the interrupts are taken, and may queue a vCPU.
	 */
	cpu_wait_for_interrupt();
	local_irq_enable();
	local_irq_disable();
}

/*
 * Tern's own work handed to this pCPU (a hypervisor console command) runs here, between two
 * vCPUs, with none loaded: a vCPU kept loaded asleep is put first, so the command may wait for
 * any vCPU to leave its pCPU, this one's included.
 */
static void sched_tern_work(struct pcpu *p)
{
	if (!hypcon_posted_here())
		return;
	if (p->lazy)
		sched_put_lazy(p);
	hypcon_poll();
}

void sched_run(void)
{
	struct pcpu *p = this_pcpu();
	struct vcpu *v;

	p->slice_end = VTIMER_NO_DEADLINE;
	p->timer_at = VTIMER_NO_DEADLINE; /* arch_timer_event_init_cpu() turns it off */
	sched_slice_ticks = sched_ticks(SCHED_SLICE_US);
	sched_gran_ticks = sched_ticks(SCHED_GRAN_US);
	if (arch_timer_event_init_cpu(sched_timer_event))
		pr_warn("sched: no EL2 timer interrupt: vCPUs only switch when they yield\n");
	if (irq_request(SCHED_KICK_SGI, sched_kick_irq, NULL))
		pr_warn("sched: no kick SGI: pCPU %u is not woken by other pCPUs\n", p->id);
	while (vm_machine_up()) {
		enum vcpu_run_result r;
		bool kept;

		sched_tern_work(p);
		v = sched_pick(p);
		if (!v) {
			sched_idle(p);
			continue;
		}
		if (p->lazy && p->lazy != v)
			sched_put_lazy(p);
		sched_power_on(v);
		r = sched_run_vcpu(p, v, &kept);
		if (READ_ONCE(v->vm->reset_pending)) {
			if (kept)
				sched_put_lazy(p);
			/* The first pCPU to get here restarts the VM; the others only stop. */
			vm_do_reset(v->vm);
			continue;
		}
		/* Kept loaded, it is asleep now or queued again (something was pending). */
		sched_after_run(p, v, r, kept);
	}
	if (p->lazy)
		sched_put_lazy(p);
}
