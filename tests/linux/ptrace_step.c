// SPDX-License-Identifier: GPL-2.0-only
/*
 * Single-stepping in the Linux guest with ptrace(PTRACE_SINGLESTEP), which Linux does with the
 * hardware's software step (MDSCR_EL1.SS, trapped and loaded by Tern): a child stops itself,
 * then the parent steps it through a loop of 2 * LOOP + 1 instructions and its exit, counting
 * the steps. Freestanding (raw system calls, no C library): the initramfs has none.
 * Prints "ptrace-step: N steps" and "ptrace-step: ok" when N is what the child executes.
 */

#define SYS_write  64
#define SYS_exit   93
#define SYS_ptrace 117
#define SYS_kill   129
#define SYS_getpid 172
#define SYS_clone  220
#define SYS_wait4  260

#define PTRACE_TRACEME	  0
#define PTRACE_SINGLESTEP 9
#define SIGCHLD		  17
#define SIGSTOP		  19
#define LOOP		  1000
#define MAX_STEPS	  100000

static long sys5(long n, long a, long b, long c, long d, long e)
{
	register long x8 asm("x8") = n;
	register long x0 asm("x0") = a;
	register long x1 asm("x1") = b;
	register long x2 asm("x2") = c;
	register long x3 asm("x3") = d;
	register long x4 asm("x4") = e;

	asm volatile("svc #0"
		     : "+r"(x0)
		     : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
		     : "memory", "cc");
	return x0;
}

static void say(const char *s)
{
	long n = 0;

	while (s[n])
		n++;
	sys5(SYS_write, 1, (long)s, n, 0, 0);
}

static void say_num(unsigned long v)
{
	char buf[24];
	int i = sizeof(buf) - 1;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	say(buf + i);
}

static void __attribute__((noreturn)) child(void)
{
	long n = LOOP;

	sys5(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0, 0);
	sys5(SYS_kill, sys5(SYS_getpid, 0, 0, 0, 0, 0), SIGSTOP, 0, 0, 0);
	/* What the parent steps through: 2 * LOOP + 1 instructions, then the exit. */
	asm volatile("1:	subs	%0, %0, #1\n"
		     "	b.ne	1b\n"
		     : "+r"(n)
		     :
		     : "cc");
	sys5(SYS_exit, 0, 0, 0, 0, 0);
	for (;;)
		;
}

int main(void);

int main(void)
{
	long pid = sys5(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	int status = 0;
	unsigned long steps = 0;

	if (pid == 0)
		child();
	if (pid < 0) {
		say("ptrace-step: clone failed\n");
		return 1;
	}
	sys5(SYS_wait4, pid, (long)&status, 0, 0, 0);
	if ((status & 0xff) != 0x7f) {
		say("ptrace-step: the child did not stop\n");
		return 1;
	}
	while (steps < MAX_STEPS) {
		if (sys5(SYS_ptrace, PTRACE_SINGLESTEP, pid, 0, 0, 0) < 0)
			break;
		if (sys5(SYS_wait4, pid, (long)&status, 0, 0, 0) != pid)
			break;
		if ((status & 0x7f) == 0) /* exited */
			break;
		steps++;
	}
	say("ptrace-step: ");
	say_num(steps);
	say(" steps\n");
	/* The loop, the return from kill and the exit call's set-up: a few beyond 2 * LOOP + 1. */
	if (steps >= 2 * LOOP + 1 && steps <= 2 * LOOP + 32) {
		say("ptrace-step: ok\n");
		return 0;
	}
	say("ptrace-step: wrong step count\n");
	return 1;
}

asm(".global _start\n"
    "_start:\n"
    "	mov	x29, #0\n"
    "	bl	main\n"
    "	mov	x8, #93\n"
    "	svc	#0\n");
