// SPDX-License-Identifier: GPL-2.0-only
/* The console drivers' side that is not one driver: the board's early console, and the calls
 * through the driver discovery chose. */
#include <string.h>
#include <tern/console_drv.h>
#include <tern/early_console.h>
#include <tern/kconfig.h>
#include <tern/platform.h>

#ifndef CONFIG_EARLY_CONSOLE_DRIVER
#define CONFIG_EARLY_CONSOLE_DRIVER ""
#endif

/* Runs with the MMU off, relocations applied: the driver table is usable, by name. */
void early_console_init(void)
{
	if (!IS_ENABLED(CONFIG_EARLY_CONSOLE))
		return;
	console_for_each_driver(d)
	{
		if (!strcmp((*d)->name, CONFIG_EARLY_CONSOLE_DRIVER)) {
			(*d)->ops->early_init(early_console_base());
			return;
		}
	}
}

void console_driver_init(const struct platform_console *con)
{
	con->drv->ops->init(con);
}

void console_driver_rx_enable(const struct platform_console *con, void (*rx)(char c))
{
	con->drv->ops->rx_enable(con->intid, rx);
}
