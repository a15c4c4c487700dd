// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor console's command line (tern/hypcon.h): the line editor, run from the console
 * UART's interrupt, and the hand-over of a finished line to a normal Tern context. The editor
 * only collects and echoes characters; the pCPU that took the line runs it from its scheduler
 * loop (hypcon_poll), where a command may take a VM's life lock and wait for other pCPUs. One
 * command runs at a time.
 */
#include <string.h>
#include <tern/compiler.h>
#include <tern/hypcon.h>
#include <tern/percpu.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vm.h>

#define HYPCON_LINE_MAX 64
#define HYPCON_PROMPT	"tern> "
#define HYPCON_MAX_ARGS 3

#define CTRL(c) ((c)&0x1f)

enum hypcon_state {
	HYPCON_IDLE,	/* no line waits */
	HYPCON_POSTED,	/* a line waits for its pCPU */
	HYPCON_RUNNING, /* that pCPU runs it */
};

/* The editor's side: only the UART interrupt touches these. */
static char hypcon_edit[HYPCON_LINE_MAX];
static unsigned int hypcon_len;
static bool hypcon_is_open;
/* Skipping a terminal's escape sequence (an arrow key): 1 after ESC, 2 inside "ESC [". */
static unsigned int hypcon_esc;

/* The line handed over, and the pCPU that runs it. */
static char hypcon_line[HYPCON_LINE_MAX];
static unsigned int hypcon_cpu;
static unsigned int hypcon_state;

void hypcon_open(void)
{
	hypcon_is_open = true;
	hypcon_len = 0;
	hypcon_esc = 0;
	hypcon_reply(HYPCON_PROMPT);
}

/* Echo what was typed, on the prompt's line; if other output ended it, show the line again. */
static void hypcon_echo(const char *s)
{
	if (!printk_line_open())
		hypcon_reply("%s%.*s", HYPCON_PROMPT, (int)hypcon_len, hypcon_edit);
	hypcon_reply("%s", s);
}

static void hypcon_close(void)
{
	hypcon_is_open = false;
	hypcon_reply("\n");
}

static void hypcon_post(void)
{
	if (__atomic_load_n(&hypcon_state, __ATOMIC_ACQUIRE) != HYPCON_IDLE) {
		hypcon_reply("tern: busy: the previous command has not finished\n");
		return;
	}
	memcpy(hypcon_line, hypcon_edit, hypcon_len);
	hypcon_line[hypcon_len] = '\0';
	hypcon_cpu = this_cpu_id();
	__atomic_store_n(&hypcon_state, HYPCON_POSTED, __ATOMIC_RELEASE);
	/* This pCPU leaves its guest at this exit and runs the command from its loop. */
	sched_return_to_tern();
}

bool hypcon_input(char c)
{
	if (!hypcon_is_open)
		return false;
	if (hypcon_esc) {
		/* ESC [ ... final byte, or ESC O x: an arrow or function key, not editing. */
		if (hypcon_esc == 1 && (c == '[' || c == 'O'))
			hypcon_esc = c == '[' ? 2 : 3;
		else if (hypcon_esc != 2 || (c >= 0x40 && c <= 0x7e))
			hypcon_esc = 0;
		return true;
	}
	switch (c) {
	case '\r':
	case '\n':
		hypcon_close();
		if (hypcon_len)
			hypcon_post();
		break;
	case CTRL('c'):
	case CTRL(']'):
		hypcon_echo("^C");
		hypcon_close();
		break;
	case 0x1b:
		hypcon_esc = 1;
		break;
	case 0x7f:
	case CTRL('h'):
		if (hypcon_len) {
			hypcon_echo("\b \b");
			hypcon_len--;
		}
		break;
	case CTRL('u'):
		hypcon_len = 0;
		hypcon_reply("\n");
		hypcon_echo("");
		break;
	default:
		if (c >= 0x20 && c < 0x7f && hypcon_len < HYPCON_LINE_MAX - 1) {
			char s[2] = { c, '\0' };

			hypcon_echo(s);
			hypcon_edit[hypcon_len++] = c;
		}
		break;
	}
	return true;
}

bool hypcon_posted_here(void)
{
	return __atomic_load_n(&hypcon_state, __ATOMIC_ACQUIRE) == HYPCON_POSTED &&
	       READ_ONCE(hypcon_cpu) == this_cpu_id();
}

void hypcon_poll(void)
{
	if (!hypcon_posted_here())
		return;
	__atomic_store_n(&hypcon_state, HYPCON_RUNNING, __ATOMIC_RELAXED);
	hypcon_run(hypcon_line);
	__atomic_store_n(&hypcon_state, HYPCON_IDLE, __ATOMIC_RELEASE);
}

/* A VM number: decimal, below CONFIG_NR_VMS. */
static bool hypcon_parse_vm(const char *s, unsigned int *vm)
{
	unsigned int n = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n >= CONFIG_NR_VMS)
			return false;
		n = n * 10 + (unsigned int)(*s - '0');
	}
	*vm = n;
	return n < CONFIG_NR_VMS;
}

static unsigned int hypcon_split(char *line, char *argv[HYPCON_MAX_ARGS])
{
	unsigned int argc = 0;

	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (argc == HYPCON_MAX_ARGS)
			return argc + 1; /* too many: no command takes that many */
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return argc;
}

void hypcon_run(const char *line)
{
	char buf[HYPCON_LINE_MAX];
	char *argv[HYPCON_MAX_ARGS];
	const struct hypcon_cmd *cmd = NULL;
	unsigned int argc, vm = 0;

	size_t len = MIN(strlen(line), sizeof(buf) - 1);

	memcpy(buf, line, len);
	buf[len] = '\0';
	argc = hypcon_split(buf, argv);
	if (!argc)
		return;
	for (unsigned int i = 0; i < hypcon_nr_cmds && !cmd; i++) {
		if (!strcmp(argv[0], hypcon_cmds[i].name))
			cmd = &hypcon_cmds[i];
	}
	if (!cmd) {
		hypcon_reply("tern: unknown command \"%.16s\" (help lists the commands)\n",
			     argv[0]);
		return;
	}
	if (argc != (cmd->vm_arg ? 2U : 1U)) {
		hypcon_reply("tern: %s: %s\n", cmd->name,
			     cmd->vm_arg ? "takes one VM number (list shows them)"
					 : "takes no argument");
		return;
	}
	if (cmd->vm_arg && !hypcon_parse_vm(argv[1], &vm)) {
		hypcon_reply("tern: %s: no VM \"%.16s\": VMs are numbered 0 to %u\n", cmd->name,
			     argv[1], CONFIG_NR_VMS - 1);
		return;
	}
	cmd->run(vm);
}
