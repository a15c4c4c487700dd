// SPDX-License-Identifier: GPL-2.0-only
/*
 * printk: formats one message into a bounded buffer, then writes it to the registered console
 * with a "[c<pCPU>] " prefix (and "error: "/"warning: ") at the start of every line. A message
 * without a trailing newline leaves its pCPU's line open: that pCPU's next message continues it;
 * output from another pCPU in between first ends the open line, and the continuation then starts
 * a new line with the bare "[c<pCPU>] " prefix. The console's open line may also be a VM's
 * (console_emit_vm(), or a single VM's raw output): Tern's lines always start on a line of their
 * own.
 */
#include <string.h>
#include <tern/console.h>
#include <tern/format.h>
#include <tern/kconfig.h>
#include <tern/percpu.h>
#include <tern/printk.h>
#include <tern/spinlock.h>

/* Longest message, NUL included; longer ones end with PRINTK_TRUNC_MARKER. */
#define PRINTK_MSG_MAX	    256
#define PRINTK_TRUNC_MARKER "[...]"
/* "[c<id>] warning: " with its NUL: at most 24 bytes. */
#define PRINTK_PREFIX_MAX 32

/* Who owns the console's open line: nobody, a pCPU (its id), a VM, or a single VM's raw output. */
#define PRINTK_NO_CPU	    (-1)
#define PRINTK_OWNER_RAW    (-2)
#define PRINTK_OWNER_VM(id) (-1000 - (int)(id))

struct printk_cpu {
	/* This pCPU's last message did not end with a newline. */
	bool mid_line;
	/* Inside printk: a nested call (from the console's write) is dropped, not deadlocked. */
	bool busy;
};

enum printk_locked {
	PRINTK_UNLOCKED,
	PRINTK_LOCKED,
	PRINTK_RECURSION,
};

static struct console *printk_console;
static enum log_level printk_level = LOG_INFO;
static struct spinlock printk_lock = SPINLOCK_INIT;
/* Set once the MMU is on: only then may printk_lock be used. */
static bool printk_locking;
/* Set on the panic path: ignore printk_lock and the recursion check from now on. */
static bool printk_lockless;
/* The owner of the line open at the end of the console output, or PRINTK_NO_CPU. */
static int printk_open_cpu = PRINTK_NO_CPU;
/* Per-pCPU state; pCPUs numbered beyond it always start a new line. */
static struct printk_cpu printk_cpus[CONFIG_MAX_PCPUS];

static struct printk_cpu *printk_cpu_state(unsigned int cpu)
{
	return cpu < ARRAY_SIZE(printk_cpus) ? &printk_cpus[cpu] : NULL;
}

static enum printk_locked printk_lock_take(unsigned int cpu)
{
	struct printk_cpu *pc = printk_cpu_state(cpu);

	if (READ_ONCE(printk_lockless))
		return PRINTK_UNLOCKED;
	if (pc && pc->busy)
		return PRINTK_RECURSION;
	if (pc)
		pc->busy = true;
	if (!READ_ONCE(printk_locking))
		return PRINTK_UNLOCKED;
	spin_lock(&printk_lock);
	return PRINTK_LOCKED;
}

static void printk_lock_release(unsigned int cpu, enum printk_locked locked)
{
	struct printk_cpu *pc = printk_cpu_state(cpu);

	if (locked == PRINTK_RECURSION)
		return;
	if (locked == PRINTK_LOCKED)
		spin_unlock(&printk_lock);
	if (pc)
		pc->busy = false;
}

/* End whatever line is open (another owner's), so the next write starts a line of its own. */
static void printk_end_open_line(struct console *con)
{
	if (printk_open_cpu == PRINTK_NO_CPU)
		return;
	con->write(con, "\n", 1);
	printk_open_cpu = PRINTK_NO_CPU;
}

/*
 * Writes msg one line per console write, prefixing each line it starts. Called with the lock held
 * (if any). The line state is updated before each write, so a printk nested in the write (the
 * panic path) sees it.
 */
static void printk_emit(struct console *con, unsigned int cpu, enum log_level level,
			const char *msg, size_t len)
{
	const char *tag = level == LOG_STATUS ? ""
			  : level <= LOG_ERR  ? "error: "
			  : level == LOG_WARN ? "warning: "
					      : "";
	struct printk_cpu *pc = printk_cpu_state(cpu);
	const char *end = msg + len;
	/* "\n" ending another line, the prefix, the line. */
	char line[1 + PRINTK_PREFIX_MAX + PRINTK_MSG_MAX];

	while (msg < end) {
		const char *nl = memchr(msg, '\n', (size_t)(end - msg));
		size_t seg = (size_t)((nl ? nl + 1 : end) - msg);
		bool mid_line = pc && pc->mid_line;
		size_t n = 0;

		if (!mid_line || printk_open_cpu != (int)cpu) {
			/* End another pCPU's (or a VM's) open line first. */
			if (printk_open_cpu != PRINTK_NO_CPU)
				line[n++] = '\n';
			/* A continuation interrupted by another pCPU gets just the pCPU prefix. */
			n += MIN((size_t)fmt_snprintf(line + n, PRINTK_PREFIX_MAX, "[c%u] %s", cpu,
						      mid_line ? "" : tag),
				 PRINTK_PREFIX_MAX - 1);
		}
		memcpy(line + n, msg, seg);
		n += seg;
		if (pc)
			pc->mid_line = !nl;
		printk_open_cpu = nl ? PRINTK_NO_CPU : (int)cpu;
		con->write(con, line, n);
		msg += seg;
	}
}

__cold void vprintk_prefixed(enum log_level level, const char *prefix, const char *fmt, va_list ap)
{
	char msg[PRINTK_MSG_MAX];
	unsigned int cpu;
	enum printk_locked locked;
	struct console *con;
	size_t len = 0;
	int n;

	if (level > READ_ONCE(printk_level) && level != LOG_STATUS)
		return;

	if (prefix) {
		len = MIN(strlen(prefix), sizeof(msg) - 1);
		memcpy(msg, prefix, len);
	}
	n = fmt_vsnprintf(msg + len, sizeof(msg) - len, fmt, ap);
	len += n > 0 ? (size_t)n : 0;
	if (len >= sizeof(msg)) {
		/* Truncated: end with the marker, and keep the newline if the format ends with one.
		 */
		size_t fmt_len = strlen(fmt);
		bool nl = fmt_len && fmt[fmt_len - 1] == '\n';
		size_t keep = sizeof(msg) - 1 - (sizeof(PRINTK_TRUNC_MARKER) - 1) - nl;

		memcpy(msg + keep, PRINTK_TRUNC_MARKER, sizeof(PRINTK_TRUNC_MARKER) - 1);
		len = keep + sizeof(PRINTK_TRUNC_MARKER) - 1;
		if (nl)
			msg[len++] = '\n';
	}

	cpu = this_cpu_id();
	locked = printk_lock_take(cpu);
	if (locked == PRINTK_RECURSION)
		return;
	con = READ_ONCE(printk_console);
	if (con)
		printk_emit(con, cpu, level, msg, len);
	printk_lock_release(cpu, locked);
}

void console_write_raw(const char *s, size_t len)
{
	unsigned int cpu = this_cpu_id();
	enum printk_locked locked = printk_lock_take(cpu);
	struct console *con;

	if (locked == PRINTK_RECURSION)
		return;
	con = READ_ONCE(printk_console);
	if (con && len) {
		/* Guest output starts on a line of its own, never inside an open printk line. */
		if (printk_open_cpu >= 0) {
			struct printk_cpu *pc = printk_cpu_state((unsigned int)printk_open_cpu);

			if (pc)
				pc->mid_line = false;
			printk_end_open_line(con);
		}
		con->write(con, s, len);
		/* ... and Tern's next line starts on one of its own (after a prompt, say). */
		printk_open_cpu = s[len - 1] == '\n' ? PRINTK_NO_CPU : PRINTK_OWNER_RAW;
	}
	printk_lock_release(cpu, locked);
}

/*
 * "[vmN] ", or "[vmN]+ " for a continued line: written out here rather than by fmt_snprintf(),
 * because a VM's every console line takes this path and the formatter is built for size.
 */
static size_t printk_vm_tag(char *tag, unsigned int vm, bool continued)
{
	char digits[10];
	size_t n = 0, d = 0;

	do {
		digits[d++] = (char)('0' + vm % 10);
		vm /= 10;
	} while (vm);
	tag[n++] = '[';
	tag[n++] = 'v';
	tag[n++] = 'm';
	while (d)
		tag[n++] = digits[--d];
	tag[n++] = ']';
	if (continued)
		tag[n++] = '+';
	tag[n++] = ' ';
	return n;
}

bool console_emit_vm(unsigned int vm, bool continued, const char *s, size_t len, bool end)
{
	unsigned int cpu = this_cpu_id();
	enum printk_locked locked = printk_lock_take(cpu);
	bool fresh = false;
	struct console *con;

	if (locked == PRINTK_RECURSION)
		return true;
	con = READ_ONCE(printk_console);
	if (con) {
		if (!continued || printk_open_cpu != PRINTK_OWNER_VM(vm)) {
			char tag[PRINTK_PREFIX_MAX];
			size_t n = printk_vm_tag(tag, vm, continued);

			printk_end_open_line(con);
			con->write(con, tag, n);
			fresh = true;
		}
		if (len)
			con->write(con, s, len);
		if (end)
			con->write(con, "\n", 1);
		printk_open_cpu = end ? PRINTK_NO_CPU : PRINTK_OWNER_VM(vm);
	}
	printk_lock_release(cpu, locked);
	return fresh;
}

void printk(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}

bool printk_line_open(void)
{
	unsigned int cpu = this_cpu_id();
	enum printk_locked locked = printk_lock_take(cpu);
	const struct printk_cpu *pc = printk_cpu_state(cpu);
	bool open;

	if (locked == PRINTK_RECURSION)
		return false;
	open = pc && pc->mid_line && printk_open_cpu == (int)cpu;
	printk_lock_release(cpu, locked);
	return open;
}

void printk_set_level(enum log_level level)
{
	WRITE_ONCE(printk_level, level);
}

enum log_level printk_get_level(void)
{
	return READ_ONCE(printk_level);
}

__cold void console_register(struct console *con)
{
	unsigned int cpu = this_cpu_id();
	enum printk_locked locked = printk_lock_take(cpu);

	/* Even from inside a console write, the switch must happen. */
	WRITE_ONCE(printk_console, con);
	printk_lock_release(cpu, locked);
}

struct console *console_get(void)
{
	return READ_ONCE(printk_console);
}

void printk_enable_locking(void)
{
	spin_lock_init(&printk_lock);
	WRITE_ONCE(printk_locking, true);
}

void printk_force_unlock(void)
{
	WRITE_ONCE(printk_lockless, true);
}
