// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor console's commands (docs/operating.md), one row each in hypcon_cmds[]. They run
 * in a pCPU's scheduler loop (core/hypcon.c); VM changes go through core/vm_ctl.c. Replies and
 * errors are one line each, errors as "tern: <command>: <what is wrong>".
 */
#include <drivers/arch_timer.h>
#include <tern/compiler.h>
#include <tern/console_mux.h>
#include <tern/format.h>
#include <tern/hypcon.h>
#include <tern/page_alloc.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vdev.h>
#include <tern/vm.h>
#include <tern/vm_config.h>
#include <tern/vm_ctl.h>

/* What list last saw of each VM, for its exits per second. */
struct hypcon_list_mark {
	u64 created_at;
	u64 at;
	u64 exits;
};

static struct hypcon_list_mark hypcon_marks[CONFIG_NR_VMS];

static void hypcon_help(unsigned int unused)
{
	(void)unused;
	hypcon_reply("tern: commands (N: a VM number; Enter on an empty line goes back):\n");
	for (unsigned int i = 0; i < hypcon_nr_cmds; i++) {
		const struct hypcon_cmd *c = &hypcon_cmds[i];
		char usage[24];

		fmt_snprintf(usage, sizeof(usage), "%s%s", c->name, c->vm_arg ? " N" : "");
		hypcon_reply("  %-10s %s\n", usage, c->help);
	}
}

/* Tenths of a second between two counter values, as "12.3". */
static void hypcon_secs(char *buf, size_t size, u64 from, u64 to)
{
	u64 tenths = (to - from) * 10 / arch_timer_freq();

	fmt_snprintf(buf, size, "%llu.%llu", (unsigned long long)(tenths / 10),
		     (unsigned long long)(tenths % 10));
}

static u64 hypcon_vm_exits(const struct vm *vm)
{
	u64 n = 0;

	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		n += READ_ONCE(vm->vcpus[i]->exits);
	return n;
}

/* Exits per second since the last list (since its creation the first time). */
static u64 hypcon_exit_rate(const struct vm *vm, u64 now)
{
	struct hypcon_list_mark *m = &hypcon_marks[vm->id];
	u64 exits = hypcon_vm_exits(vm), rate;

	if (m->created_at != vm->created_at)
		*m = (struct hypcon_list_mark){ vm->created_at, vm->created_at, 0 };
	rate = now > m->at ? (exits - m->exits) * arch_timer_freq() / (now - m->at) : 0;
	m->at = now;
	m->exits = exits;
	return rate;
}

static const char *hypcon_state(const struct vm *vm)
{
	if (vm->state != VM_UNINITIALIZED)
		return vm_state_name(vm->state);
	return vm_ctl_has_kernel(vm->id) ? "off" : "no-kernel";
}

static void hypcon_list(unsigned int unused)
{
	u64 now = arch_timer_now();

	(void)unused;
	hypcon_reply("%3s %-15s %-10s %-9s %-17s %8s %9s %8s\n", "id", "name", "type", "state",
		     "vCPU:pCPU", "RAM MiB", "uptime s", "exits/s");
	for (unsigned int i = 0; i < CONFIG_NR_VMS; i++) {
		const struct vm *vm = &vm_table[i];
		const struct vm_config *cfg = &vm_configs[i];
		char where[40] = "-", up[24] = "-", rate[24] = "-";
		bool live = vm->state == VM_RUNNING || vm->state == VM_PAUSED;
		int n = 0;

		if (vm->state != VM_UNINITIALIZED) {
			for (unsigned int j = 0; j < vm->nr_vcpus && n < (int)sizeof(where); j++)
				n += fmt_snprintf(where + n, sizeof(where) - (size_t)n, "%s%u:%u",
						  j ? " " : "", j, vm->vcpus[j]->pcpu);
			fmt_snprintf(rate, sizeof(rate), "%llu",
				     (unsigned long long)hypcon_exit_rate(vm, now));
		}
		if (live)
			hypcon_secs(up, sizeof(up), vm->started_at, now);
		hypcon_reply("%3u %-15.15s %-10s %-9s %-17s %8llu %9s %8s\n", i, cfg->name,
			     vm_guest_type_name(cfg->type), hypcon_state(vm), where,
			     (unsigned long long)(cfg->ram_size >> 20), up, rate);
	}
}

/* Run a vm_ctl operation; its refusal as one line. */
static void hypcon_vm_op(const char *cmd, unsigned int id,
			 int (*op)(unsigned int id, const char **why), const char *done)
{
	const char *why = "";

	if (op(id, &why))
		hypcon_reply("tern: %s: vm%u: %s (%s)\n", cmd, id, why,
			     hypcon_state(&vm_table[id]));
	else
		hypcon_reply("tern: vm%u %s\n", id, done);
}

static void hypcon_pause(unsigned int id)
{
	hypcon_vm_op("pause", id, vm_ctl_pause, "paused");
}

static void hypcon_resume(unsigned int id)
{
	hypcon_vm_op("resume", id, vm_ctl_resume, "resumed");
}

static void hypcon_restart(unsigned int id)
{
	hypcon_vm_op("restart", id, vm_ctl_restart, "restarted from its pristine images");
}

static void hypcon_stop(unsigned int id)
{
	hypcon_vm_op("stop", id, vm_ctl_stop, "stopped and torn down");
}

static void hypcon_start(unsigned int id)
{
	hypcon_vm_op("start", id, vm_ctl_start, "created and started");
}

static void hypcon_console(unsigned int id)
{
	if (!console_mux_focus(id))
		hypcon_reply("tern: console: vm%u has no console (it does not exist, or has no "
			     "UART)\n",
			     id);
}

static void hypcon_stats(unsigned int id)
{
	const struct vm *vm = &vm_table[id];
	char up[24] = "-";

	if (vm->state == VM_UNINITIALIZED) {
		hypcon_reply("tern: stats: vm%u does not exist (%s)\n", id, hypcon_state(vm));
		return;
	}
	if (vm->state == VM_RUNNING || vm->state == VM_PAUSED)
		hypcon_secs(up, sizeof(up), vm->started_at, arch_timer_now());
	hypcon_reply("vm%u: %s, up %s s, %u vCPUs, %llu MiB RAM, %u restarts after crashes\n", id,
		     vm_state_name(vm->state), up, vm->nr_vcpus,
		     (unsigned long long)(vm->ram_size >> 20), vm->crash_restarts);
	vm_print_stats(vm, LOG_STATUS);
	vdev_report_all(vm);
}

static void hypcon_mem(unsigned int unused)
{
	struct page_alloc_stats st;
	u64 vm_pages = 0;

	(void)unused;
	page_allocator_stats(&page_allocator_global, &st);
	for (unsigned int i = 0; i < CONFIG_NR_VMS; i++)
		vm_pages += vm_table[i].ram_size >> PAGE_SHIFT;
	hypcon_reply("mem: %llu pages in use (%llu MiB, %llu of them guest RAM), %llu free (%llu "
		     "MiB, largest block order %d); %llu total, %llu reserved, %llu metadata\n",
		     (unsigned long long)st.used_pages,
		     (unsigned long long)(st.used_pages >> (20 - PAGE_SHIFT)),
		     (unsigned long long)(vm_pages >> (20 - PAGE_SHIFT)),
		     (unsigned long long)st.free_pages,
		     (unsigned long long)(st.free_pages >> (20 - PAGE_SHIFT)),
		     st.largest_free_order, (unsigned long long)st.total_pages,
		     (unsigned long long)st.reserved_pages, (unsigned long long)st.meta_pages);
}

static void hypcon_dump(unsigned int unused)
{
	(void)unused;
	sched_dump();
}

const struct hypcon_cmd hypcon_cmds[] = {
	{ "help", false, "this list", hypcon_help },
	{ "list", false, "every VM: type, state, where its vCPUs run, RAM, uptime, exits/s",
	  hypcon_list },
	{ "pause", true, "stop VM N's vCPUs at an exit, keep them off every pCPU", hypcon_pause },
	{ "resume", true, "let a paused VM N run again", hypcon_resume },
	{ "restart", true, "restart VM N from its pristine images", hypcon_restart },
	{ "stop", true, "stop VM N and give all its memory back", hypcon_stop },
	{ "start", true, "create VM N from its boot modules and start it", hypcon_start },
	{ "console", true, "send what is typed to VM N", hypcon_console },
	{ "stats", true, "VM N's exits by reason, injected exceptions, interrupts, devices",
	  hypcon_stats },
	{ "mem", false, "the page allocator: pages in use and free", hypcon_mem },
	{ "dump", false, "every vCPU's scheduling and interrupt state", hypcon_dump },
};

const unsigned int hypcon_nr_cmds = ARRAY_SIZE(hypcon_cmds);
