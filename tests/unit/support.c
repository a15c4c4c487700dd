// SPDX-License-Identifier: GPL-2.0-only
/* Definitions the host stand-in headers under tests/unit/include refer to. */
#include <tern/percpu.h>

static struct pcpu unit_pcpu0 = { .id = 0, .online = true };
struct pcpu *unit_this_pcpu = &unit_pcpu0;
