// SPDX-License-Identifier: GPL-2.0-only
#include <tern/console_drv.h>
#include <tern/console_mux.h>
#include <tern/console_rx.h>
#include <tern/hypcon.h>
#include <tern/platform.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vdev.h>
#include <tern/vm.h>

/* Ctrl-]: Ctrl-A is QEMU's own escape on -nographic consoles. */
#define MUX_ESCAPE 0x1D

static struct vm *mux_vms;
static unsigned int mux_nr;
static unsigned int mux_focus;
static bool mux_escape;

static struct vm *mux_vm(unsigned int id)
{
	return id < mux_nr && mux_vms[id].uart && mux_vms[id].state != VM_UNINITIALIZED
		   ? &mux_vms[id]
		   : NULL;
}

bool console_mux_focus(unsigned int id)
{
	if (!mux_vm(id))
		return false;
	mux_focus = id;
	pr_info("console: input now goes to vm%u\n", mux_focus);
	return true;
}

void console_mux_input(char c)
{
	struct vm *vm;

	/* The hypervisor console's command line, while open, takes everything. */
	if (hypcon_input(c))
		return;
	if (mux_escape) {
		mux_escape = false;
		if (c == 'd') {
			sched_dump();
			return;
		}
		if (c == ':' && IS_ENABLED(CONFIG_HYP_CONSOLE)) {
			hypcon_open();
			return;
		}
		if (c >= '0' && c <= '9' && console_mux_focus((unsigned int)(c - '0')))
			return;
		if (c != MUX_ESCAPE)
			return;
		/* The escape twice sends it once to the guest. */
	} else if (c == MUX_ESCAPE) {
		mux_escape = true;
		return;
	}
	vm = mux_vm(mux_focus);
	if (vm && vm->state == VM_RUNNING)
		vm->uart->type->console_input(vm->uart, c);
}

void console_mux_init(const struct platform *p, struct vm *vms, unsigned int nr)
{
	mux_vms = vms;
	mux_nr = nr;
	for (mux_focus = 0; mux_focus < nr && !mux_vm(mux_focus); mux_focus++)
		;
	/* No VM with a console yet: input is for the hypervisor console (VMs may come later). */
	if (mux_focus == nr) {
		mux_focus = 0;
		if (!IS_ENABLED(CONFIG_HYP_CONSOLE))
			return;
	}
	if (!p->console.intid) {
		pr_warn(
		    "console: the UART has no interrupt in the device tree: no console input\n");
		return;
	}
	console_driver_rx_enable(&p->console, console_mux_input);
	if (nr > 1)
		pr_info(
		    "console: input goes to vm%u; Ctrl-] then a VM number switches%s\n", mux_focus,
		    IS_ENABLED(CONFIG_HYP_CONSOLE) ? ", Ctrl-] then : opens Tern's console" : "");
	else if (IS_ENABLED(CONFIG_HYP_CONSOLE))
		pr_info("console: Ctrl-] then : opens Tern's console\n");
}
