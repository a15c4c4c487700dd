// SPDX-License-Identifier: GPL-2.0-only
/*
 * A VM's console output (see tern/console_vm.h): raw with one VM; with several, whole lines, each
 * tagged with its VM, with every byte that could steer a terminal shown as \xNN.
 */
#include <drivers/arch_timer.h>
#include <tern/compiler.h>
#include <tern/console.h>
#include <tern/console_vm.h>
#include <tern/vcpu.h>
#include <tern/vm.h>

/* Columns of the widest tag, "[vmNN]+ ". */
#define CONSOLE_TAG_COLS 8
/* A tab moves at most this far. */
#define CONSOLE_TAB_COLS 8

_Static_assert(CONFIG_CONSOLE_LINE_COLUMNS > CONSOLE_TAG_COLS + CONSOLE_TAB_COLS,
	       "a console line must hold a tag and some text");

static bool cvm_single(void)
{
	return CONFIG_NR_VMS == 1;
}

static u64 cvm_timeout_ticks(void)
{
	return arch_timer_freq() * CONSOLE_FLUSH_MS / 1000;
}

/* Columns still free on the physical line for pending bytes. */
static unsigned int cvm_room(const struct console_vm *c)
{
	unsigned int used = CONSOLE_TAG_COLS + c->open_cols + c->cols;

	return used < CONFIG_CONSOLE_LINE_COLUMNS ? CONFIG_CONSOLE_LINE_COLUMNS - used : 0;
}

/*
 * Write the pending bytes. @end_row ends the physical line; @end_line also ends the guest's line
 * (its LF): otherwise what follows is a continuation, tagged "[vmN]+ " when it starts a new row.
 */
static void cvm_emit(struct vm *vm, bool end_row, bool end_line)
{
	struct console_vm *c = &vm->console;
	bool fresh = console_emit_vm(vm->id, c->partial, c->buf, c->len, end_row);

	c->open_cols = end_row ? 0 : (fresh ? 0 : c->open_cols) + c->cols;
	c->partial = !end_line;
	c->len = 0;
	c->cols = 0;
}

static void cvm_put(struct vm *vm, const char *s, unsigned int bytes, unsigned int cols)
{
	struct console_vm *c = &vm->console;

	/* The row is full: end it, the rest of the guest's line continues on a tagged row. */
	if (cols > cvm_room(c) || c->len + bytes > sizeof(c->buf))
		cvm_emit(vm, true, false);
	if (!c->len)
		c->since = arch_timer_now();
	for (unsigned int i = 0; i < bytes; i++)
		c->buf[c->len++] = s[i];
	c->cols += cols;
}

static void cvm_put_byte(struct vm *vm, u8 b)
{
	static const char hex[] = "0123456789abcdef";
	char esc[4] = { '\\', 'x', hex[b >> 4], hex[b & 15] };

	if (b == '\\')
		cvm_put(vm, "\\\\", 2, 2); /* so that "\\x1b" typed by the guest stays that text */
	else if (b >= 0x20 && b < 0x7f)
		cvm_put(vm, (const char *)&b, 1, 1);
	else if (b == '\t')
		cvm_put(vm, (const char *)&b, 1, CONSOLE_TAB_COLS);
	else
		cvm_put(vm, esc, sizeof(esc), sizeof(esc));
}

static bool cvm_aged(const struct console_vm *c)
{
	return c->len && arch_timer_now() - c->since >= cvm_timeout_ticks();
}

void vm_console_write(struct vm *vm, const char *s, size_t len)
{
	struct console_vm *c = &vm->console;

	if (cvm_single()) {
		console_write_raw(s, len);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		u8 b = (u8)s[i];

		if (c->cr) {
			c->cr = false;
			if (b != '\n')
				cvm_put_byte(vm, '\r');
		}
		if (b == '\n')
			cvm_emit(vm, true, true);
		else if (b == '\r')
			c->cr = true;
		else
			cvm_put_byte(vm, b);
	}
	if (cvm_aged(c))
		cvm_emit(vm, false, false);
}

/* No vCPU of the VM runs or waits to run: it waits for input or an interrupt. */
static bool cvm_idle(const struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		enum vcpu_state s = READ_ONCE(vm->vcpus[i]->state);

		if (s == VCPU_RUNNING || s == VCPU_READY)
			return false;
	}
	return true;
}

void vm_console_end_line(struct vm *vm)
{
	struct console_vm *c = &vm->console;

	if (cvm_single())
		return;
	if (c->cr) {
		c->cr = false;
		cvm_put_byte(vm, '\r');
	}
	if (c->len)
		cvm_emit(vm, true, true);
	/* Written in part already: the next line starts a row of its own, not a continuation. */
	c->partial = false;
	c->open_cols = 0;
}

void vm_console_flush(struct vm *vm)
{
	struct console_vm *c = &vm->console;
	bool stopped = READ_ONCE(vm->state) == VM_STOPPED;

	if (cvm_single())
		return;
	if (stopped && c->cr) {
		c->cr = false;
		cvm_put_byte(vm, '\r');
	}
	if (!c->len)
		return;
	if (stopped)
		cvm_emit(vm, true, true);
	else if (cvm_idle(vm) || cvm_aged(c))
		cvm_emit(vm, false, false);
}
