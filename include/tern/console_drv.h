/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_CONSOLE_DRV_H
#define TERN_CONSOLE_DRV_H

#include <tern/compiler.h>
#include <tern/types.h>

/*
 * Host UARTs Tern can use as its console, behind one small interface. A driver declares itself
 * with CONSOLE_DRIVER(): the compatible strings platform discovery matches (the node
 * /chosen/stdout-path names, else the first enabled node of a linked driver), and its ops. The
 * board's early console (CONFIG_EARLY_CONSOLE_DRIVER) is one of them too.
 */

struct platform_console;

struct console_ops {
	/** printk's output through the UART at @base, usable with the MMU off. */
	void (*early_init)(paddr_t base);
	/** Make the discovered UART printk's console (its registers are mapped). */
	void (*init)(const struct platform_console *con);
	/** Deliver every received character to @rx from the UART's interrupt @intid. */
	void (*rx_enable)(unsigned int intid, void (*rx)(char c));
};

struct console_driver {
	/** Short name ("pl011"), also what CONFIG_EARLY_CONSOLE_DRIVER names. */
	const char *name;
	/** Compatible strings, NULL-terminated. */
	const char *const *compatible;
	const struct console_ops *ops;
};

/* Declare a driver: "CONSOLE_DRIVER(pl011) = { ... };" (section console_drivers). */
#define CONSOLE_DRIVER(id)                                                                         \
	static const struct console_driver console_driver_##id;                                    \
	static const struct console_driver *const console_driver_ptr_##id __used __section(        \
	    "console_drivers") __aligned(sizeof(void *)) = &console_driver_##id;                   \
	static const struct console_driver console_driver_##id

extern const struct console_driver *const __start_console_drivers[];
extern const struct console_driver *const __stop_console_drivers[];

#define console_for_each_driver(d)                                                                 \
	for (const struct console_driver *const *d = __start_console_drivers;                      \
	     d != __start_console_drivers +                                                        \
		      LINKER_TABLE_NR(__start_console_drivers, __stop_console_drivers);            \
	     d++)

/** Make the console discovery found printk's output. */
void console_driver_init(const struct platform_console *con);
/** Console input: @rx gets each character typed (from the UART's interrupt, if it has one). */
void console_driver_rx_enable(const struct platform_console *con, void (*rx)(char c));

#endif
