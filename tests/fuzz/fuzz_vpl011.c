// SPDX-License-Identifier: GPL-2.0-only
/*
 * The emulated PL011 (virt/vpl011.c) and, behind it, a VM's console output (core/console_vm.c,
 * core/printk.c) as with several VMs: register accesses of any offset and size, typed bytes,
 * polls, flushes, resets, time passing and the VM going idle, in any order. Every console row
 * must carry a tag, hold no byte that steers a terminal and fit CONFIG_CONSOLE_LINE_COLUMNS; the
 * interrupt line reported to the vGIC must match RIS & IMSC; teardown returns every page.
 */
#define _GNU_SOURCE /* memrchr */
#include <string.h>
#include <tern/console.h>
#include <tern/console_rx.h>
#include <tern/mmio.h>
#include <tern/page_alloc.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vm.h>
#include <virt/guest_map.h>
#include <virt/vpl011.h>
#include "fuzz_input.h"

static struct {
	struct mmio_region region;
	bool registered;
	bool level;
	void *page;
	u64 now;
	char out[1 << 16];
	size_t out_len;
	/* Rows before this offset are checked already. */
	size_t checked;
} fake;

int mmio_register(struct mmio_bus *bus, ipa_t base, u64 size, const struct mmio_ops *ops,
		  void *priv, const char *name)
{
	(void)bus;
	FUZZ_CHECK(!fake.registered);
	fake.region = (struct mmio_region){
		.base = base, .size = size, .ops = ops, .priv = priv, .name = name
	};
	fake.registered = true;
	return 0;
}

int mmio_unregister(struct mmio_bus *bus, ipa_t base)
{
	(void)bus;
	FUZZ_CHECK(fake.registered && base == fake.region.base);
	fake.registered = false;
	return 0;
}

void vm_irq_set_level_deferred(struct vm *vm, u32 intid, bool level)
{
	(void)vm;
	FUZZ_CHECK(intid == GUEST_PL011_INTID);
	FUZZ_CHECK(level != fake.level); /* only changes are reported */
	fake.level = level;
}

/* The kick of the vCPU a raised line wakes; the unit test checks when it is sent. */
void sched_kick_flush(void)
{
}

void *page_zalloc(unsigned int order)
{
	FUZZ_CHECK(order == 0 && !fake.page);
	fake.page = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	FUZZ_CHECK(fake.page);
	memset(fake.page, 0, PAGE_SIZE);
	return fake.page;
}

int page_free(paddr_t addr, unsigned int order)
{
	FUZZ_CHECK(order == 0 && (void *)addr == fake.page);
	free(fake.page);
	fake.page = NULL;
	return 0;
}

u64 arch_timer_now(void)
{
	return fake.now;
}

u64 arch_timer_freq(void)
{
	return 1000000;
}

static void console_out(struct console *con, const char *s, size_t len)
{
	(void)con;
	/* Keep the tail: rows are checked as they complete. */
	if (fake.out_len + len >= sizeof(fake.out)) {
		char *nl = memrchr(fake.out, '\n', fake.out_len);
		size_t keep = nl ? fake.out_len - (size_t)(nl + 1 - fake.out) : 0;

		memmove(fake.out, fake.out + fake.out_len - keep, keep);
		fake.out_len = keep;
		fake.checked = 0;
	}
	FUZZ_CHECK(fake.out_len + len < sizeof(fake.out));
	memcpy(fake.out + fake.out_len, s, len);
	fake.out_len += len;
}

static struct console con = { .write = console_out };
static struct vm vm;
static struct vcpu vcpu;

/* Every complete row: a tag, then printable ASCII or tab only, at most the row width. */
static void check_rows(void)
{
	const char *p = fake.out + fake.checked, *end = fake.out + fake.out_len, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		if (getenv("FUZZ_VERBOSE"))
			fprintf(stderr, "row: \"%.*s\"\n", (int)(nl - p), p);
		FUZZ_CHECK(!strncmp(p, "[vm0] ", 6) || !strncmp(p, "[vm0]+ ", 7) ||
			   !strncmp(p, "[c0] ", 5));
		FUZZ_CHECK((size_t)(nl - p) <= CONFIG_CONSOLE_LINE_COLUMNS || p[1] == 'c');
		for (const char *c = p; c < nl; c++)
			FUZZ_CHECK((*c >= 0x20 && *c < 0x7f) || *c == '\t');
		p = nl + 1;
	}
	fake.checked = (size_t)(p - fake.out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size, 0 };
	struct vpl011 *u;

	memset(&fake, 0, sizeof(fake));
	memset(&vm, 0, sizeof(vm));
	memset(&vcpu, 0, sizeof(vcpu));
	vm.state = VM_RUNNING;
	vm.nr_vcpus = 1;
	vm.vcpus[0] = &vcpu;
	vcpu.vm = &vm;
	vcpu.state = VCPU_RUNNING;
	console_register(&con);
	/* printk's line state outlives an input: end whatever line the last one left open. */
	pr_info("next input\n");
	fake.out_len = 0;
	fake.checked = 0;
	u = vpl011_create(&vm);
	FUZZ_CHECK(u && fake.registered);
	for (unsigned int ops = 0; ops < 1024 && !fuzz_done(&in); ops++) {
		u8 op = fuzz_u8(&in);
		u64 off = fuzz_u32(&in) % (VPL011_MMIO_SIZE + 0x40), val = fuzz_u64(&in);
		unsigned int sz = 1U << (fuzz_u8(&in) % 4);

		switch (op % 8) {
		case 0:
			fake.region.ops->read(&vcpu, fake.region.priv, off, sz, &val);
			break;
		case 1:
		case 2: /* mostly the data register: output */
			fake.region.ops->write(&vcpu, fake.region.priv, op % 8 == 1 ? off : 0, sz,
					       val);
			break;
		case 3:
			for (unsigned int i = 0; i < (val & 0x3f); i++)
				console_rx_push(vpl011_rx_ring(u), fuzz_u8(&in));
			vpl011_poll(u);
			break;
		case 4:
			vpl011_flush(u);
			break;
		case 5:
			fake.now += val % 200000;
			break;
		case 6:
			vcpu.state = val & 1 ? VCPU_BLOCKED : VCPU_RUNNING;
			break;
		default:
			if (!(val & 0xf))
				vpl011_reset(u);
			break;
		}
		check_rows();
	}
	vm.state = VM_STOPPED;
	vpl011_flush(u);
	check_rows();
	vpl011_destroy(u);
	FUZZ_CHECK(!fake.registered && !fake.page);
	return 0;
}
