// SPDX-License-Identifier: GPL-2.0-only
/*
 * PSCI SYSTEM_RESET restarts the VM from its pristine image.
 *
 * boot_stamp lives in .data with the value 0x1234 in the image. The first boot checks it, changes
 * it to 0xdead and calls SYSTEM_RESET; after the reset it must read 0x1234 again, which is only
 * true if Tern reloaded the image (a restart that just jumps back to the entry sees 0xdead and
 * FAILs; one that loses the image prints nothing and the runner times out).
 *
 * Telling the boots apart needs a channel that survives the reset, and PSCI has none. We use a
 * mailbox in RAM outside the image (and outside the DTB), which survives if Tern does not clear
 * guest RAM on reset. That is a hint, not a requirement:
 *  - RAM kept (the expected case): the console shows "reset: first boot", one PASS, "reset:
 *    second boot", the second boot's checks and SUMMARY (the manifest's count is this SUMMARY's).
 *  - RAM cleared by Tern: every boot looks like the first, so "reset: first boot" and its
 *    ".data is pristine" PASS repeat and the VM resets forever. The second "reset: first boot"
 *    followed by PASS already proves the reload; the runner must then stop the VM itself.
 * The runner therefore counts "reset: first boot" lines: one, then "reset: second boot" -> the
 * SUMMARY decides; two or more -> pass on the PASS lines, flag "RAM cleared on reset", stop.
 */
#include "libguest.h"

#define STAMP_PRISTINE 0x1234U
#define STAMP_DIRTY    0xdeadU
#define MB_MAGIC       0x7e5e7b007e5e7b00UL

struct mailbox {
	u64 magic;
	u64 boots;
	u64 dtb;
	u64 check;
};

static volatile u32 boot_stamp = STAMP_PRISTINE;

static u64 mb_check(volatile struct mailbox *mb)
{
	return ~(mb->magic ^ mb->boots ^ mb->dtb);
}

/* The same address on every boot: past the image, moved past the DTB if they would overlap. */
static volatile struct mailbox *mailbox_addr(void)
{
	u64 mb = ALIGN_UP((u64)_end, 4096) + 0x10000;
	u64 dtb = guest_boot_dtb, dtb_size = fdt_totalsize((const void *)dtb);

	if (dtb_size && mb + sizeof(struct mailbox) > dtb && mb < dtb + dtb_size)
		mb = ALIGN_UP(dtb + dtb_size, 4096);
	return (volatile struct mailbox *)mb;
}

int main(void)
{
	volatile struct mailbox *mb = mailbox_addr();
	u32 stamp = boot_stamp;
	u64 el = (read_sysreg(CurrentEL) >> 2) & 3, sctlr = read_sysreg(sctlr_el1);

	report_prefix("reset");
	if (mb->magic != MB_MAGIC || mb->check != mb_check(mb)) {
		puts("reset: first boot\n");
		report(stamp == STAMP_PRISTINE, ".data is pristine at boot (0x%x)", stamp);
		boot_stamp = STAMP_DIRTY;
		mb->magic = MB_MAGIC;
		mb->boots = 1;
		mb->dtb = guest_boot_dtb;
		mb->check = mb_check(mb);
		write_sysreg(0x7e5e7, tpidr_el1);
		dsb();
		puts("reset: calling SYSTEM_RESET\n");
		psci_system_reset();
		report(false, "SYSTEM_RESET returned");
		return 0;
	}

	puts("reset: second boot\n");
	report(stamp == STAMP_PRISTINE,
	       ".data is pristine after SYSTEM_RESET: image reloaded (0x%x)", stamp);
	report(el == 1 && !(sctlr & 1),
	       "entered at EL1 with the MMU off again (EL%lu, SCTLR 0x%lx)", el, sctlr);
	report(mb->dtb == guest_boot_dtb, "x0 (DTB) the same as on the first boot (0x%lx)",
	       guest_boot_dtb);
	report(mb->boots == 1, "exactly one reset before this boot (%lu)", mb->boots);
	report_info("TPIDR_EL1 after reset 0x%lx (0x7e5e7 before; architecturally UNKNOWN)",
		    read_sysreg(tpidr_el1));
	mb->magic = 0;
	mb->check = 0;
	return 0;
}
