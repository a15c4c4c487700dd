# SPDX-License-Identifier: GPL-2.0-only
# Tern top-level Makefile: Kconfig front end, Kbuild-style object lists, and the set-up,
# run and test entry points of the README.

MAKEFLAGS += --no-builtin-rules --no-builtin-variables --no-print-directory
.SUFFIXES:
.DEFAULT_GOAL := all

srctree := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
O ?= $(srctree)/build
override O := $(abspath $(O))
export srctree O

ifeq ($(V),1)
Q :=
quiet = @:
else
Q := @
quiet = @printf '  %-8s %s\n'
endif

PYTHON := /usr/bin/python3
CROSS_COMPILE ?= aarch64-linux-gnu-
CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
HOSTCC ?= cc
export TERN_CACHE ?= $(HOME)/.cache/tern

KCONFIG_CONFIG := $(O)/.config
export KCONFIG_CONFIG
KCONFIG_ENV := srctree=$(srctree) KCONFIG_CONFIG=$(KCONFIG_CONFIG)
KCONFIG_FILES := $(shell find $(srctree) -name 'Kconfig*' -not -path '$(O)/*' 2>/dev/null)
DEFCONFIGS := $(notdir $(wildcard $(srctree)/configs/*_defconfig))
DEFAULT_DEFCONFIG := qemu_virt_defconfig

# Targets that need no configuration (and must not trigger one).
NOCONFIG_TARGETS := help clean distclean menuconfig savedefconfig olddefconfig alldefconfig \
	allnoconfig allyesconfig defconfig deps format format-check lint unit-test script-test \
	integration-test check check-configs run debug bench soak soak-ops fuzz fuzz-check fuzz-merge \
	$(DEFCONFIGS)
CONFIG_TARGETS := menuconfig savedefconfig olddefconfig alldefconfig allnoconfig allyesconfig \
	defconfig $(DEFCONFIGS)
config_goals := $(filter $(CONFIG_TARGETS),$(MAKECMDGOALS))
build_goals := $(filter-out $(CONFIG_TARGETS),$(MAKECMDGOALS))

# "make qemu_virt_smp_defconfig all": configure first, then build in a second make, so the
# object lists are read from the new configuration (as Linux does with mixed targets).
ifneq ($(config_goals),)
ifneq ($(build_goals),)
mixed_goals := 1
endif
endif

ifeq ($(MAKECMDGOALS),)
need_config := 1
else ifneq ($(filter-out $(NOCONFIG_TARGETS),$(MAKECMDGOALS)),)
need_config := 1
endif
ifdef mixed_goals
need_config :=
endif

ifdef mixed_goals
.PHONY: $(MAKECMDGOALS) __mixed
$(MAKECMDGOALS): __mixed
	@:
__mixed:
	$(Q)$(MAKE) -f $(srctree)/Makefile $(config_goals)
	$(Q)$(MAKE) -f $(srctree)/Makefile $(build_goals)
else

# ---------------------------------------------------------------------------------------------
# Configuration

$(O):
	$(Q)mkdir -p $@

.PHONY: menuconfig savedefconfig olddefconfig alldefconfig allnoconfig allyesconfig defconfig \
	$(DEFCONFIGS)
menuconfig: | $(O)
	$(Q)$(KCONFIG_ENV) $(PYTHON) -m menuconfig $(srctree)/Kconfig

$(DEFCONFIGS): | $(O)
	$(Q)$(KCONFIG_ENV) $(PYTHON) -m defconfig --kconfig $(srctree)/Kconfig $(srctree)/configs/$@

defconfig: $(DEFAULT_DEFCONFIG)

savedefconfig: | $(O)
	$(Q)$(KCONFIG_ENV) $(PYTHON) -m savedefconfig --kconfig $(srctree)/Kconfig --out $(O)/defconfig
	@echo "Minimal configuration written to $(O)/defconfig"

olddefconfig alldefconfig allnoconfig allyesconfig: | $(O)
	$(Q)$(KCONFIG_ENV) $(PYTHON) -m $@ $(srctree)/Kconfig

$(KCONFIG_CONFIG):
	@echo "No configuration in $(O): using configs/$(DEFAULT_DEFCONFIG)"
	$(Q)mkdir -p $(O)
	$(Q)$(KCONFIG_ENV) $(PYTHON) -m defconfig --kconfig $(srctree)/Kconfig \
		$(srctree)/configs/$(DEFAULT_DEFCONFIG)

# genconfig rewrites autoconf.h only when its contents change, and --sync-deps touches
# include/config/<symbol>.h for each symbol whose value changed since include/config/auto.conf
# (which it then updates, and which make includes for the obj-$(CONFIG_X) lists);
# scripts/fixdep.py makes every object depend on just the symbols it mentions.
CONFIG_STAMP := $(O)/include/config/.stamp
$(CONFIG_STAMP): $(KCONFIG_CONFIG) $(KCONFIG_FILES)
	$(Q)mkdir -p $(O)/include/generated $(O)/include/config
	$(Q)$(KCONFIG_ENV) $(PYTHON) -m olddefconfig $(srctree)/Kconfig >/dev/null
	$(Q)$(KCONFIG_ENV) $(PYTHON) -m genconfig \
		--header-path $(O)/include/generated/autoconf.h \
		--sync-deps $(O)/include/config $(srctree)/Kconfig
	$(Q)touch $@

$(O)/include/config/auto.conf: $(CONFIG_STAMP)
	@:

ifdef need_config
-include $(O)/include/config/auto.conf
endif

# ---------------------------------------------------------------------------------------------
# Set-up: packages and the arm64 libfdt (never vendored)

.PHONY: deps
deps:
	$(Q)$(srctree)/scripts/deps.sh --all

LIBFDT_DIR = $(TERN_CACHE)/arm64-libfdt
LIBFDT_A = $(LIBFDT_DIR)/usr/lib/aarch64-linux-gnu/libfdt.a
LIBFDT_INC = $(LIBFDT_DIR)/usr/include

$(LIBFDT_A):
	$(Q)$(srctree)/scripts/deps.sh --libfdt

# ---------------------------------------------------------------------------------------------
# Compilation

TERN_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes \
	-Wno-unused-parameter -ffreestanding -fno-builtin -nostdlib -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include 2>/dev/null) \
	-mgeneral-regs-only -mstrict-align -mno-outline-atomics -march=armv8-a \
	-fpie -fno-common -fmacro-prefix-map=$(srctree)/= -fno-omit-frame-pointer -fno-strict-aliasing \
	-ffunction-sections -fdata-sections -falign-functions=4 \
	-I$(srctree)/include -I$(srctree)/include/libc -I$(O)/include -I$(LIBFDT_INC) \
	-include $(srctree)/include/tern/kconfig.h -include $(srctree)/include/tern/visibility.h
# No -fno-plt: with it, every call to a symbol the compiler declares itself (__stack_chk_fail in
# each protected function, memcpy/memset for structure copies) is ADRP + LDR from the GOT + BLR;
# without it a BL, which ld resolves in the executable (scripts/check-elf.py fails the link if a
# PLT or its relocations appear): -0.8 KiB.
# -falign-functions=4: functions start on any instruction, not padded to 16 bytes (GCC's generic
# AArch64 tuning), as Linux (FUNCTION_ALIGNMENT_4B) and Xen build for arm64: -2.3 KiB of padding
# that nothing executes; loops and branch targets keep GCC's alignment.
# The guard is read through TPIDR_EL2 (each pCPU's struct pcpu, at PCPU_OFF_STACK_GUARD in
# tern/percpu.h, which core/percpu.c checks): MRS + LDR in each protected function's entry and
# exit, where the global __stack_chk_guard took ADRP + LDR from the GOT + LDR: -0.9 KiB.
PCPU_OFF_STACK_GUARD := $(shell sed -n 's/^\#define PCPU_OFF_STACK_GUARD[[:space:]]*\([0-9]*\).*/\1/p' \
	$(srctree)/include/tern/percpu.h)
ifeq ($(CONFIG_STACK_PROTECTOR),y)
TERN_CFLAGS += -fstack-protector-strong -mstack-protector-guard=sysreg \
	-mstack-protector-guard-reg=tpidr_el2 -mstack-protector-guard-offset=$(PCPU_OFF_STACK_GUARD)
else
TERN_CFLAGS += -fno-stack-protector
endif
TERN_AFLAGS := -D__ASSEMBLY__ -I$(srctree)/include -I$(O)/include \
	-include $(srctree)/include/tern/kconfig.h

# Kbuild-style lists: each directory's Makefile adds "obj-y += file.o" or "obj-y += subdir/".
# collect_dir reads one directory's Makefile and recurses into the subdirectories it names.
# "cold-y += file.o" (of an object in obj-y) builds it for size: code that runs at boot, at VM
# creation or at an operator's command, never on a guest's exit or interrupt path.
# "hot-y += file.o" (C objects only) names the objects on those paths: they keep -O2, and
# scripts/check-opt.py fails the link if one of them (or a cold-y one not) was built for size.
tern-objs :=
tern-cold-objs :=
tern-hot-objs :=
define collect_dir
obj-y :=
cold-y :=
hot-y :=
include $(srctree)/$(1)/Makefile
$$(if $$(filter $$(hot-y),$$(cold-y)),$$(error $(1)/Makefile: in both hot-y and cold-y: $$(filter $$(hot-y),$$(cold-y))))
tern-objs += $$(addprefix $(O)/$(1)/,$$(filter %.o,$$(obj-y)))
tern-cold-objs += $$(addprefix $(O)/$(1)/,$$(filter $$(obj-y),$$(cold-y)))
tern-hot-objs += $$(addprefix $(O)/$(1)/,$$(filter $$(obj-y),$$(hot-y)))
$(1)-subdirs := $$(patsubst %/,$(1)/%,$$(filter %/,$$(obj-y)))
$$(foreach d,$$($(1)-subdirs),$$(eval $$(call collect_dir,$$(d))))
endef
TOPDIRS := arch/arm64 core drivers virt
ifdef need_config
$(foreach d,$(TOPDIRS),$(eval $(call collect_dir,$(d))))
endif

DEPFLAGS = -MD -MP -MF $(@:.o=.d.raw)
FIXDEP = $(PYTHON) $(srctree)/scripts/fixdep.py $(@:.o=.d.raw) $@ $(O)/include/config > $(@:.o=.d) \
	&& rm -f $(@:.o=.d.raw)

# At -O2, GCC aligns each string literal to 8 bytes (at -Os to 1): align-strings.py gives the
# -O2 objects' literals the alignment of a byte again, after checking no code relies on more
# (-0.8 KiB of padding between messages).
# visibility.h changes how every file calls the others: objects built before it are rebuilt.
$(O)/%.o: $(srctree)/%.c $(srctree)/include/tern/visibility.h | $(CONFIG_STAMP) $(O)/include/generated/version.h $(LIBFDT_A)
	$(quiet) CC $(@:$(O)/%=%)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(TERN_CFLAGS) $(if $(filter $@,$(tern-cold-objs)),-Os) $(DEPFLAGS) -c -o $@ $<
	$(Q)$(if $(filter $@,$(tern-cold-objs)),:,$(PYTHON) $(srctree)/scripts/align-strings.py $@)
	$(Q)$(FIXDEP)

$(O)/%.o: $(srctree)/%.S $(srctree)/include/tern/visibility.h | $(CONFIG_STAMP)
	$(quiet) AS $(@:$(O)/%=%)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(TERN_CFLAGS) $(TERN_AFLAGS) $(DEPFLAGS) -c -o $@ $<
	$(Q)$(FIXDEP)

-include $(tern-objs:.o=.d)
# An object's cold-y membership (its flags) is in its directory's Makefile.
$(foreach o,$(tern-objs),$(eval $(o): $(srctree)/$(patsubst $(O)/%/,%,$(dir $(o)))/Makefile))

# The version is regenerated on every build but rewritten only when it changes.
.PHONY: FORCE
$(O)/include/generated/version.h: FORCE
	$(Q)mkdir -p $(@D)
	$(Q)$(srctree)/scripts/gen-version.sh $(srctree) $@

LDSCRIPT := $(srctree)/arch/arm64/tern.lds.S
VECTOR_FILL := $(O)/vector_fill.lds
$(O)/tern.lds: $(LDSCRIPT) $(CONFIG_STAMP)
	$(quiet) CPP $(@:$(O)/%=%)
	$(Q)$(CC) -E -P -x assembler-with-cpp $(TERN_AFLAGS) -DVECTOR_FILL='"$(VECTOR_FILL)"' \
		-o $@ $<

TERN_LD = $(LD) -pie --no-dynamic-linker -z norelro -z noexecstack --no-apply-dynamic-relocs \
	--build-id=none --gc-sections -T $(O)/tern.lds
# Two links: the first with the vector slots alone, whose map says which functions
# --gc-sections keeps; scripts/vector-fill.py then places cold ones in the slots' spare room
# (vectors.S, tern.lds.S) for the second.
$(O)/tern.elf: $(tern-objs) $(O)/tern.lds $(LIBFDT_A) $(srctree)/scripts/vector-fill.py
	$(quiet) LD $(@:$(O)/%=%)
	$(Q)$(PYTHON) $(srctree)/scripts/vector-fill.py --empty $(VECTOR_FILL)
	$(Q)$(TERN_LD) -Map=$(O)/tern.pre.map -o $(O)/tern.pre.elf $(tern-objs) $(LIBFDT_A)
	$(Q)$(PYTHON) $(srctree)/scripts/vector-fill.py --map $(O)/tern.pre.map \
		--vectors $(O)/arch/arm64/vectors.o --base $(O) $(VECTOR_FILL) $(tern-cold-objs)
	$(Q)$(TERN_LD) -Map=$(O)/tern.map -o $@ $(tern-objs) $(LIBFDT_A)
	$(Q)rm -f $(O)/tern.pre.elf
	$(Q)$(PYTHON) $(srctree)/scripts/check-elf.py $@
	$(Q)$(PYTHON) $(srctree)/scripts/check-opt.py $@ \
		--hot $(patsubst $(O)/%.o,$(srctree)/%.c,$(tern-hot-objs)) \
		--cold $(patsubst $(O)/%.o,$(srctree)/%.c,$(tern-cold-objs))

$(O)/tern.bin: $(O)/tern.elf
	$(quiet) OBJCOPY $(@:$(O)/%=%)
	$(Q)$(OBJCOPY) -O binary $< $@

# A board whose machine does not make its own device tree keeps one in its folder
# (boards/<board>/<board>.dts), built next to the image as $(O)/board.dtb for the boot loader.
BOARD_NAME := $(patsubst "%",%,$(CONFIG_BOARD))
BOARD_DTS := $(wildcard $(srctree)/boards/$(BOARD_NAME)/$(BOARD_NAME).dts)
BOARD_DTB := $(if $(BOARD_DTS),$(O)/board.dtb)
$(O)/board.dtb: $(BOARD_DTS)
	$(quiet) DTC $(@:$(O)/%=%)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

.PHONY: all
all: $(O)/tern.bin $(BOARD_DTB)
	@echo "Tern image: $(O)/tern.bin ($(shell stat -c %s $(O)/tern.bin 2>/dev/null) bytes)"

# ---------------------------------------------------------------------------------------------
# Run, tests, tools

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
QEMU_SMP ?= $(or $(SMP),4)
QEMU_MEM ?= $(or $(MEM),1G)
VM_VARS := KERNEL INITRD BOOTARGS DISK DISK_MODE DISK_RO DISK_REGION
export $(foreach n,0 1 2 3 4 5 6 7,$(foreach v,$(VM_VARS),VM$(n)_$(v)))

# The flagship scenario: with no VM0_KERNEL given and a Linux VM 0 in the configuration, boot
# Debian's arm64 kernel with a BusyBox initramfs (fetched into $TERN_CACHE by fetch-guest.sh),
# and, if VM 0 has a virtio-blk disk and no VM0_DISK is given, the ext4 disk of the same tree:
# a copy in $(O)/vm0-disk.img, made once, so that VM0_DISK_MODE=persistent keeps what is
# written across runs.
.PHONY: run
# The shell prelude of run and debug: the flagship guest's images unless VM0_KERNEL is given.
RUN_GUEST_ENV = \
	if [ -z "$$VM0_KERNEL" ] && grep -q '^CONFIG_VM0_GUEST_LINUX=y' $(KCONFIG_CONFIG); then \
		eval "$$($(srctree)/scripts/fetch-guest.sh --print)"; \
		export VM0_KERNEL="$$KERNEL" VM0_INITRD="$$INITRD"; \
		if [ -z "$$VM0_DISK" ] && grep -q '^CONFIG_VM0_VIRTIO_BLK=y' $(KCONFIG_CONFIG); then \
			test -f $(O)/vm0-disk.img || cp "$$DISK" $(O)/vm0-disk.img; \
			export VM0_DISK=$(O)/vm0-disk.img; \
		fi; \
	fi
RUN_QEMU_ARGS = --image $(O)/tern.bin --config $(KCONFIG_CONFIG) \
	--smp $(QEMU_SMP) --mem $(QEMU_MEM) $(if $(APPEND),--append "$(APPEND)") \
	$(if $(QEMU_EXTRA),--qemu-extra "$(QEMU_EXTRA)") $(if $(LOADER),--loader $(LOADER))

run: deps
	$(Q)test -f $(KCONFIG_CONFIG) || $(MAKE) -f $(srctree)/Makefile $(DEFAULT_DEFCONFIG)
	$(Q)$(MAKE) -f $(srctree)/Makefile -j$(JOBS) all
	$(Q)set -e; $(RUN_GUEST_ENV); \
	exec $(srctree)/scripts/run-qemu $(RUN_QEMU_ARGS)

# make debug: QEMU stopped before Tern's first instruction, waiting on GDB_PORT, and
# gdb-multiarch attached with Tern's symbols at its load address (docs/porting.md). The console
# goes to $(O)/debug-console.log; GUEST_SYMS="file[@addr] ..." adds guests' symbol files,
# GDB_ARGS= extra gdb arguments (e.g. -batch -ex ...). QEMU is stopped when gdb exits.
GDB_PORT ?= 1234
.PHONY: debug
debug: deps
	$(Q)test -f $(KCONFIG_CONFIG) || $(MAKE) -f $(srctree)/Makefile $(DEFAULT_DEFCONFIG)
	$(Q)$(MAKE) -f $(srctree)/Makefile -j$(JOBS) all
	$(Q)set -e; $(RUN_GUEST_ENV); rm -f $(O)/debug.gdb; \
	setsid $(srctree)/scripts/run-qemu $(RUN_QEMU_ARGS) --gdb --gdb-port $(GDB_PORT) \
		--gdb-script $(O)/debug.gdb --console-log $(O)/debug-console.log \
		$(foreach g,$(GUEST_SYMS),--gdb-symbols $(g)) </dev/null >$(O)/debug-qemu.log 2>&1 & \
	qemu=$$!; trap 'kill -- -$$qemu 2>/dev/null || true' EXIT; \
	$(PYTHON) $(srctree)/scripts/wait-port.py 127.0.0.1 $(GDB_PORT) 60 $(O)/debug.gdb || \
		{ cat $(O)/debug-qemu.log; exit 1; }; \
	echo "debug: QEMU waits on port $(GDB_PORT); console in $(O)/debug-console.log"; \
	gdb-multiarch -q -x $(O)/debug.gdb $(GDB_ARGS)

.PHONY: unit-test
unit-test:
	$(Q)$(MAKE) -f $(srctree)/tests/unit/Makefile srctree=$(srctree) O=$(O) run

# libFuzzer targets of the real sources (tests/fuzz, docs/security.md). make check runs each for
# FUZZ_CHECK_SECONDS; make fuzz for FUZZ_SECONDS (default 60), FUZZ_TARGETS to pick some.
FUZZ_CHECK_SECONDS ?= 10
.PHONY: fuzz fuzz-check fuzz-merge
fuzz:
	$(Q)$(MAKE) -f $(srctree)/tests/fuzz/Makefile srctree=$(srctree) O=$(O) run
fuzz-check:
	$(Q)$(MAKE) -f $(srctree)/tests/fuzz/Makefile srctree=$(srctree) O=$(O) run \
		FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS)
fuzz-merge:
	$(Q)$(MAKE) -f $(srctree)/tests/fuzz/Makefile srctree=$(srctree) O=$(O) merge

# Every configuration in configs/ plus the all*config extremes, each in its own build dir.
CHECK_CONFIGS := $(DEFCONFIGS:_defconfig=) allnoconfig allyesconfig alldefconfig
.PHONY: check-configs
check-configs:
	$(Q)set -e; for c in $(CHECK_CONFIGS); do \
		echo "== build $$c"; \
		case $$c in all*) t=$$c;; *) t=$${c}_defconfig;; esac; \
		$(MAKE) -f $(srctree)/Makefile O=$(O)/configs/$$c $$t >/dev/null; \
		$(MAKE) -f $(srctree)/Makefile -j$(JOBS) O=$(O)/configs/$$c all >/dev/null; \
	done

.PHONY: integration-test script-test
integration-test:
	$(Q)cd $(srctree) && TERN_BUILD=$(O) $(PYTHON) -m pytest -q tests/integration
script-test:
	$(Q)cd $(srctree) && $(PYTHON) -m pytest -q tests/scripts

# The flagship soak (not part of make check): SOAK boots of Linux with 4 vCPUs on 4 pCPUs and on
# 1 pCPU, each with a reboot and a poweroff; any boot that does not reach its shell fails.
SOAK ?= 10
.PHONY: soak
soak: deps
	$(Q)cd $(srctree) && TERN_BUILD=$(O) TERN_SOAK=$(SOAK) $(PYTHON) -m pytest -q \
		tests/integration/test_soak.py

# The hypervisor console's soak (not part of make check, which runs 5 cycles): VM 1 stopped,
# started and restarted OPS_SOAK times through the console next to a checksumming VM 0 (and
# OPS_SOAK_LINUX times with Linux in VM 1, by default OPS_SOAK/5), allocator use checked after
# every cycle (docs/operating.md).
OPS_SOAK ?= 100
OPS_SOAK_LINUX ?=
.PHONY: soak-ops
soak-ops: deps
	$(Q)cd $(srctree) && TERN_BUILD=$(O) TERN_OPS_SOAK=$(OPS_SOAK) \
		$(if $(OPS_SOAK_LINUX),TERN_OPS_SOAK_LINUX=$(OPS_SOAK_LINUX)) $(PYTHON) -m pytest -q \
		tests/integration/test_ops.py -k soak

# Hot-path benchmarks against plain QEMU (docs/benchmarks.md): builds under $(O)/bench, prints
# the table, writes $(O)/bench/results.json and results.png and updates docs/benchmarks.md; every
# row measured under icount is measured twice (--repeat) and any differing by more than 1% is
# reported; then the interference of a noisy VM on another, sharing a pCPU and partitioned
# (scripts/bench_interference.py, $(O)/bench/interference.json).
.PHONY: bench
bench: deps
	$(Q)$(PYTHON) $(srctree)/scripts/bench.py --out $(O)/bench --repeat \
		--doc $(srctree)/docs/benchmarks.md
	$(Q)$(PYTHON) $(srctree)/scripts/bench_interference.py --out $(O)/bench \
		--doc $(srctree)/docs/benchmarks.md

.PHONY: check
check: deps
	$(Q)$(MAKE) -f $(srctree)/Makefile format-check
	$(Q)$(MAKE) -f $(srctree)/Makefile lint
	$(Q)$(MAKE) -f $(srctree)/Makefile unit-test
	$(Q)$(MAKE) -f $(srctree)/Makefile fuzz-check
	$(Q)$(MAKE) -f $(srctree)/Makefile script-test
	$(Q)$(MAKE) -f $(srctree)/Makefile check-configs
	$(Q)$(MAKE) -f $(srctree)/Makefile integration-test
	@echo "make check: all tests passed"

C_SOURCES = $(shell cd $(srctree) && git ls-files '*.c' '*.h' 2>/dev/null || \
	find arch core drivers virt include tests -name '*.[ch]')
.PHONY: format format-check lint
format:
	$(Q)cd $(srctree) && clang-format -i $(C_SOURCES)
format-check:
	$(Q)cd $(srctree) && clang-format --dry-run --Werror $(C_SOURCES)
lint:
	$(Q)cd $(srctree) && cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
		--inline-suppr --std=c11 -Iinclude -Itests/unit/include \
		--suppress=missingIncludeSystem --suppress=unmatchedSuppression \
		--suppress=preprocessorErrorDirective:include/tern/kconfig.h \
		arch core drivers virt tests/unit

.PHONY: clean distclean
clean:
	$(Q)rm -rf $(O)/arch $(O)/core $(O)/drivers $(O)/virt $(O)/unit $(O)/fuzz $(O)/configs \
		$(O)/tern.* $(O)/include/generated/version.h
distclean:
	$(Q)rm -rf $(O)

.PHONY: help
help:
	@echo "Tern - an AArch64 type-1 hypervisor"
	@echo ""
	@echo "  make run            set up, configure (default board), build and boot in QEMU"
	@echo "  make check          set up, then run every test"
	@echo "  make debug          as make run, stopped at the first instruction, gdb attached"
	@echo "  In QEMU: Ctrl-] then : opens Tern's console (list, pause, resume, restart, stop,"
	@echo "  start, stats N, mem; docs/operating.md); Ctrl-] then N sends input to VM N"
	@echo ""
	@echo "Configuration:"
	@echo "  menuconfig          interactive configuration (kconfiglib)"
	@echo "  defconfig           the default board's configuration ($(DEFAULT_DEFCONFIG))"
	@$(foreach d,$(DEFCONFIGS),echo "  $(d)";)
	@echo "  savedefconfig       write the minimal configuration to \$$O/defconfig"
	@echo "  olddefconfig        update .config with defaults for new symbols"
	@echo "  alldefconfig allnoconfig allyesconfig"
	@echo ""
	@echo "Building and testing:"
	@echo "  all (default)       build \$$O/tern.bin (an arm64 Image)"
	@echo "  unit-test           host unit tests (cmocka, ASan/UBSan)"
	@echo "  fuzz                libFuzzer targets, FUZZ_SECONDS= each (fuzz-check: short)"
	@echo "  check-configs       build every configs/ file and the all*configs"
	@echo "  integration-test    boot Tern in QEMU under pytest"
	@echo "  soak                boot, reboot and power off Linux SOAK=10 times on 4 and on 1 pCPU"
	@echo "  bench               hot-path benchmarks and VM interference (docs/benchmarks.md)"
	@echo "  soak-ops            stop, start and restart a VM OPS_SOAK=100 times from Tern's console"
	@echo "                      (Linux: OPS_SOAK_LINUX=N times, default OPS_SOAK/5)"
	@echo "  format lint         clang-format the tree; run cppcheck"
	@echo "  deps                install missing packages, fetch arm64 libfdt"
	@echo "  clean distclean     remove objects; remove the whole build dir"
	@echo ""
	@echo "Variables: O=dir (build dir, default build/), V=1 (verbose),"
	@echo "  run: VM<n>_KERNEL= VM<n>_INITRD= VM<n>_BOOTARGS= SMP= MEM= APPEND= QEMU_EXTRA="
	@echo "       LOADER=u-boot (boot through U-Boot)"
	@echo "  debug: as run, with gdb attached: GDB_PORT= GUEST_SYMS= GDB_ARGS="
	@echo "       VM<n>_DISK=image VM<n>_DISK_MODE=ram|persistent VM<n>_DISK_RO=1"
	@echo "       VM<n>_DISK_REGION=offset:size"

endif # mixed_goals
