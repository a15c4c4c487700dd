// SPDX-License-Identifier: GPL-2.0-only
/*
 * core/vm_policy.c: each policy choice leads to a stop or a restart request, a crash restart is
 * counted once however many vCPUs crash before the restart happens, and the crash after the last
 * allowed restart stops the VM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <tern/vm.h>
#include <tern/vm_config.h>
#include "stub_printk.h"

static struct vm vm;
static struct vcpu vcpu0, vcpu1;
static struct vm_config cfg;
static unsigned int stops, resets;
static const char *stop_reason, *reset_reason;

void vm_stop(struct vm *v, const char *reason)
{
	assert_ptr_equal(v, &vm);
	stops++;
	stop_reason = reason;
}

bool vm_reset(struct vm *v, const char *reason)
{
	assert_ptr_equal(v, &vm);
	reset_reason = reason;
	if (v->reset_pending)
		return false;
	v->reset_pending = true;
	resets++;
	return true;
}

/* The scheduler carried the restart out. */
static void restarted(void)
{
	vm.reset_pending = false;
}

static int setup(void **state)
{
	(void)state;
	memset(&vm, 0, sizeof(vm));
	cfg = (struct vm_config){ .id = 1,
				  .on_reset = VM_ACTION_RESTART,
				  .on_poweroff = VM_ACTION_STOP };
	vm.id = 1;
	vm.config = &cfg;
	vcpu0 = (struct vcpu){ .id = 0, .vm = &vm };
	vcpu1 = (struct vcpu){ .id = 1, .vm = &vm };
	stops = resets = 0;
	stop_reason = reset_reason = NULL;
	stub_printk_reset();
	return 0;
}

static void test_reset_and_poweroff_choices(void **state)
{
	(void)state;
	vm_guest_reset(&vm);
	assert_int_equal(resets, 1);
	assert_int_equal(stops, 0);
	assert_string_equal(reset_reason, "reset requested by the guest");
	restarted();
	vm_guest_poweroff(&vm, "guest called PSCI SYSTEM_OFF");
	assert_int_equal(stops, 1);
	assert_string_equal(stop_reason, "guest called PSCI SYSTEM_OFF");

	cfg.on_reset = VM_ACTION_STOP;
	cfg.on_poweroff = VM_ACTION_RESTART;
	vm_guest_reset(&vm);
	assert_int_equal(stops, 2);
	assert_int_equal(resets, 1);
	vm_guest_poweroff(&vm, "guest called PSCI SYSTEM_OFF");
	assert_int_equal(resets, 2);
	assert_int_equal(stops, 2);
	assert_true(stub_printk_contains("vm1: guest called PSCI SYSTEM_OFF: restarting it"));
}

static void test_crash_stops_by_default(void **state)
{
	(void)state;
	vm_guest_crash(&vcpu0, "exception loop");
	assert_int_equal(stops, 1);
	assert_int_equal(resets, 0);
	assert_string_equal(stop_reason, "Tern detected a guest crash");
	assert_true(stub_printk_contains("vm1.0: guest crash: exception loop"));
}

static void test_crash_restarts_at_most_k_times(void **state)
{
	(void)state;
	cfg.crash_restarts = 3;
	for (unsigned int i = 1; i <= 3; i++) {
		vm_guest_crash(&vcpu0, "exception loop");
		/* The other vCPU crashes too before the restart: still one restart. */
		vm_guest_crash(&vcpu1, "exception loop");
		assert_int_equal(resets, i);
		assert_int_equal(vm.crash_restarts, i);
		assert_int_equal(stops, 0);
		restarted();
	}
	assert_true(stub_printk_contains("restart 3 of at most 3"));
	vm_guest_crash(&vcpu0, "exception loop");
	assert_int_equal(resets, 3);
	assert_int_equal(stops, 1);
	assert_string_equal(stop_reason,
			    "Tern detected a guest crash, after the restarts its policy allows");
}

static void test_crash_restarts_unlimited(void **state)
{
	(void)state;
	cfg.crash_restarts = VM_RESTARTS_UNLIMITED;
	for (unsigned int i = 1; i <= 1000; i++) {
		vm_guest_crash(&vcpu1, "exception loop");
		restarted();
	}
	assert_int_equal(resets, 1000);
	assert_int_equal(stops, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_and_poweroff_choices, setup),
		cmocka_unit_test_setup(test_crash_stops_by_default, setup),
		cmocka_unit_test_setup(test_crash_restarts_at_most_k_times, setup),
		cmocka_unit_test_setup(test_crash_restarts_unlimited, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
