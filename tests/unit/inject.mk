# SPDX-License-Identifier: GPL-2.0-only
# Exception-entry PSTATE rules and exception-loop recognition of injected exceptions.
UNIT_TESTS += inject
inject-srcs := arch/arm64/inject_loop.c tests/unit/test_inject.c include/asm/exception_entry.h
