// SPDX-License-Identifier: GPL-2.0-only
/* core/guest_type.c: each guest type's contract as vm_create() and the exit handlers ask it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <tern/errno.h>
#include <tern/guest_type.h>
#include "stub_printk.h"

static struct vm_config cfg(enum vm_guest_type type, enum vm_psci_conduit conduit)
{
	return (struct vm_config){ .id = 3, .type = type, .conduit = conduit, .nr_vcpus = 1 };
}

static int check(enum vm_guest_type type, enum image_kind kind, bool initrd)
{
	struct vm_config c = cfg(type, VM_PSCI_HVC);
	struct image_layout l = { .kind = kind };

	stub_printk_reset();
	return guest_type_check(&c, &l, initrd);
}

static void test_linux_takes_only_an_image(void **state)
{
	(void)state;
	assert_int_equal(check(VM_GUEST_LINUX, IMAGE_ARM64, true), 0);
	assert_int_equal(check(VM_GUEST_LINUX, IMAGE_ELF64, false), -TERN_EINVAL);
	assert_true(stub_printk_contains("vm3: a linux guest cannot boot an ELF"));
	assert_int_equal(check(VM_GUEST_LINUX, IMAGE_RAW, false), -TERN_EINVAL);
	assert_true(guest_type_get(VM_GUEST_LINUX)->device_tree);
}

static void test_rtos_no_device_tree(void **state)
{
	(void)state;
	assert_int_equal(check(VM_GUEST_RTOS, IMAGE_ELF64, false), 0);
	assert_int_equal(check(VM_GUEST_RTOS, IMAGE_RAW, false), 0);
	assert_int_equal(check(VM_GUEST_RTOS, IMAGE_ARM64, false), -TERN_EINVAL);
	assert_true(stub_printk_contains("a rtos guest cannot boot an arm64 Image"));
	/* No DT: an initrd could not be found by the guest. */
	assert_int_equal(check(VM_GUEST_RTOS, IMAGE_ELF64, true), -TERN_EINVAL);
	assert_true(stub_printk_contains("remove the initrd module"));
	assert_false(guest_type_get(VM_GUEST_RTOS)->device_tree);
}

static void test_baremetal_any_image(void **state)
{
	(void)state;
	assert_int_equal(check(VM_GUEST_BAREMETAL, IMAGE_ARM64, true), 0);
	assert_int_equal(check(VM_GUEST_BAREMETAL, IMAGE_ELF64, true), 0);
	assert_int_equal(check(VM_GUEST_BAREMETAL, IMAGE_RAW, false), 0);
	assert_true(guest_type_get(VM_GUEST_BAREMETAL)->device_tree);
}

static void test_conduit(void **state)
{
	struct vm_config c;

	(void)state;
	c = cfg(VM_GUEST_LINUX, VM_PSCI_SMC);
	assert_int_equal(guest_type_conduit(&c), VM_PSCI_SMC);
	c = cfg(VM_GUEST_BAREMETAL, VM_PSCI_SMC);
	assert_int_equal(guest_type_conduit(&c), VM_PSCI_SMC);
	c = cfg(VM_GUEST_LINUX, VM_PSCI_HVC);
	assert_int_equal(guest_type_conduit(&c), VM_PSCI_HVC);
	/* The RTOS contract is HVC whatever the configuration says. */
	c = cfg(VM_GUEST_RTOS, VM_PSCI_SMC);
	assert_int_equal(guest_type_conduit(&c), VM_PSCI_HVC);
}

static void test_bad_values(void **state)
{
	struct vm_config c = cfg((enum vm_guest_type)7, VM_PSCI_HVC);
	struct image_layout l = { .kind = IMAGE_RAW };

	(void)state;
	assert_null(guest_type_get((enum vm_guest_type)7));
	assert_int_equal(guest_type_check(&c, &l, false), -TERN_EINVAL);
	assert_int_equal(check(VM_GUEST_BAREMETAL, (enum image_kind)9, false), -TERN_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_takes_only_an_image),
		cmocka_unit_test(test_rtos_no_device_tree),
		cmocka_unit_test(test_baremetal_any_image),
		cmocka_unit_test(test_conduit),
		cmocka_unit_test(test_bad_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
