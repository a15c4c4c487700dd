# SPDX-License-Identifier: GPL-2.0-only
# Boot image inspection and placement: real ELF guests built by the cross toolchain, Image headers
# and broken files crafted by the test.
UNIT_TESTS += loader
loader-srcs := core/loader.c tests/unit/test_loader.c tests/unit/unit_file.c tests/unit/stub_printk.c
loader-deps := $(UOBJ)/elf/two-segments.elf $(UOBJ)/elf/low.elf

LOADER_CROSS ?= aarch64-linux-gnu-
LOADER_LDFLAGS := -n -static -nostdlib -e _start -z noexecstack --no-warn-rwx-segments

$(UOBJ)/elf/guest.o: $(srctree)/tests/unit/loader_guest.S
	@mkdir -p $(@D)
	$(LOADER_CROSS)gcc -c -o $@ $<

# Text at the base of guest RAM, data and BSS 512 KiB above: two PT_LOAD segments (-n keeps the
# ELF headers out of them).
$(UOBJ)/elf/two-segments.elf: $(UOBJ)/elf/guest.o
	$(LOADER_CROSS)ld $(LOADER_LDFLAGS) -Ttext=0x40000000 -Tdata=0x40080000 -o $@ $<

# Linked where no guest RAM is: must be refused.
$(UOBJ)/elf/low.elf: $(UOBJ)/elf/guest.o
	$(LOADER_CROSS)ld $(LOADER_LDFLAGS) -Ttext=0x1000 -Tdata=0x2000 -o $@ $<
