# SPDX-License-Identifier: GPL-2.0-only
# Tern's C library under its own names, so that the host's (and ASan's interceptors) stay out.
UNIT_TESTS += string
string-srcs := core/string.c tests/unit/test_string.c
string-cflags := -fno-builtin -fno-tree-loop-distribute-patterns \
	$(foreach f,memcpy memmove memset memcmp memchr strlen strnlen strcmp strncmp strchr strrchr \
	strtoul,-D$(f)=tern_$(f))
