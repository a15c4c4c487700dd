# SPDX-License-Identifier: GPL-2.0-only
# Tern's exit status line and the launcher's token.
UNIT_TESTS += exit_status
exit_status-srcs := core/exit_status.c tests/unit/test_exit_status.c tests/unit/stub_printk.c
