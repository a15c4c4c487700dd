/* SPDX-License-Identifier: GPL-2.0-only */
/* Fixed configuration for host unit tests; individual tests add -D flags where they need more. */
#ifndef GENERATED_AUTOCONF_H
#define GENERATED_AUTOCONF_H
#define CONFIG_NR_VMS		    2
#define CONFIG_NR_PCPUS		    4
#define CONFIG_MAX_PCPUS	    8
#define CONFIG_CONSOLE_LINE_COLUMNS 80
#endif
