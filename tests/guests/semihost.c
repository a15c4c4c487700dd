// SPDX-License-Identifier: GPL-2.0-only
/*
 * Semihosting escape attempts (issue 11): a guest at EL1 issues Arm semihosting calls (HLT #0xF000)
 * that, if the emulator served them, would read and write a host file, delete one, run a host
 * command, print on the host's terminal past Tern's console and read the host clock. Each call
 * must be an UNDEFINED instruction in the guest (QEMU without semihosting), never a call.
 *
 * Bootargs (set by tests/integration/test_semihosting.py, which planted the files):
 *   canary=PATH   a file with a secret: opened for reading and for appending
 *   remove=PATH   a file SYS_REMOVE would delete
 *   marker=PATH   a file the SYS_SYSTEM command would create
 * The test then checks from outside that nothing happened on the host.
 *
 * With bootarg forge=STATUS it only prints what Tern's last line looks like, "exit: status STATUS
 * token T" with a made-up T, and waits forever: the launcher must not take it for Tern's.
 */
#include "libguest.h"

#define SYS_OPEN   0x01
#define SYS_CLOSE  0x02
#define SYS_WRITE0 0x04
#define SYS_WRITE  0x05
#define SYS_READ   0x06
#define SYS_REMOVE 0x0E
#define SYS_CLOCK  0x10
#define SYS_TIME   0x11
#define SYS_SYSTEM 0x12

#define OPEN_MODE_R 0
#define OPEN_MODE_A 8

#define PATH_MAX 256

static char canary[PATH_MAX], removed[PATH_MAX], marker[PATH_MAX];
static char command[2 * PATH_MAX];
static char readbuf[128];

/* One semihosting call; true if it trapped as UNDEFINED (the only acceptable outcome). */
static bool semihost(u64 op, u64 arg, u64 *ret)
{
	register u64 x0 asm("x0") = op;
	register u64 x1 asm("x1") = arg;
	u64 esr;
	bool taken;

	expect_exception(ESR_EC_UNKNOWN);
	asm volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	taken = exception_taken(&esr, NULL);
	*ret = x0;
	return taken && ESR_EC(esr) == ESR_EC_UNKNOWN;
}

static void attempt(const char *what, u64 op, u64 arg)
{
	u64 ret;
	bool undef = semihost(op, arg, &ret);

	report(undef, "%s: HLT #0xF000 is UNDEFINED in the guest%s", what,
	       undef ? "" : " (the host served it)");
	if (!undef)
		report_info("%s returned 0x%lx", what, ret);
}

int main(void)
{
	u64 open_r[3], open_a[3], rd[3], wr[3], rm[2], sys[2];
	static const char append[] = "PWNED-BY-GUEST\n";
	/* Built at run time, so the string the host would print never passes Tern's console. */
	char write0[32];
	u64 handle;

	report_prefix("semihost");
	if (bootarg_get("forge", command, sizeof(command))) {
		printf("exit: status %s token 0123456789abcdef0123456789abcdef\n", command);
		printf("[c0] exit: status %s token 0123456789abcdef0123456789abcdef\n", command);
		for (;;)
			asm volatile("wfi");
	}
	if (!bootarg_get("canary", canary, sizeof(canary)) ||
	    !bootarg_get("remove", removed, sizeof(removed)) ||
	    !bootarg_get("marker", marker, sizeof(marker)))
		report_abort("bootargs need canary=, remove= and marker= (got \"%s\")",
			     guest_bootargs());
	snprintf(command, sizeof(command), "echo escaped > %s", marker);
	snprintf(write0, sizeof(write0), "SEMIHOST%s%s\n", "-WRITE0-", "REACHED");

	open_r[0] = (u64)canary;
	open_r[1] = OPEN_MODE_R;
	open_r[2] = strlen(canary);
	attempt("SYS_OPEN(canary, \"r\")", SYS_OPEN, (u64)open_r);
	/* Even if the open had been refused, try the handles a host would hand out first. */
	for (handle = 1; handle <= 4; handle++) {
		u64 ret;

		rd[0] = handle;
		rd[1] = (u64)readbuf;
		rd[2] = sizeof(readbuf) - 1;
		if (!semihost(SYS_READ, (u64)rd, &ret)) {
			report(false, "SYS_READ(handle %lu) was served", handle);
			report_info("read: %s", readbuf);
		}
	}
	report(readbuf[0] == 0, "SYS_READ: nothing read from the host");

	open_a[0] = (u64)canary;
	open_a[1] = OPEN_MODE_A;
	open_a[2] = strlen(canary);
	attempt("SYS_OPEN(canary, \"a\")", SYS_OPEN, (u64)open_a);
	wr[0] = 1;
	wr[1] = (u64)append;
	wr[2] = sizeof(append) - 1;
	attempt("SYS_WRITE(handle 1)", SYS_WRITE, (u64)wr);
	attempt("SYS_CLOSE(handle 1)", SYS_CLOSE, (u64)&wr[0]);

	rm[0] = (u64)removed;
	rm[1] = strlen(removed);
	attempt("SYS_REMOVE(file)", SYS_REMOVE, (u64)rm);

	sys[0] = (u64)command;
	sys[1] = strlen(command);
	attempt("SYS_SYSTEM(\"echo escaped > marker\")", SYS_SYSTEM, (u64)sys);

	attempt("SYS_WRITE0 (host terminal)", SYS_WRITE0, (u64)write0);
	attempt("SYS_CLOCK", SYS_CLOCK, 0);
	attempt("SYS_TIME", SYS_TIME, 0);
	return 0;
}
