# SPDX-License-Identifier: GPL-2.0-only
# MMIO load/store decoder against real encodings: tests/unit/mmio_encodings.S is assembled for
# AArch64 and its .text, raw, becomes $(UOBJ)/mmio_encodings.bin, read by the test at run time.
UNIT_TESTS += mmio_decode
mmio_decode-srcs := arch/arm64/mmio_decode.c include/asm/mmio_decode.h tests/unit/test_mmio_decode.c
mmio_decode-deps := $(UOBJ)/mmio_encodings.bin

CROSS_COMPILE ?= aarch64-linux-gnu-

$(UOBJ)/mmio_encodings.o: $(srctree)/tests/unit/mmio_encodings.S
	@mkdir -p $(@D)
	$(CROSS_COMPILE)as -march=armv8.5-a+memtag -o $@ $<

$(UOBJ)/mmio_encodings.bin: $(UOBJ)/mmio_encodings.o
	$(CROSS_COMPILE)objcopy -O binary -j .text $< $@
