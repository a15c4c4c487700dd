/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_HYPCON_H
#define TERN_HYPCON_H

#include <tern/kconfig.h>
#include <tern/types.h>

/*
 * The hypervisor console (docs/operating.md): Ctrl-] then ':' on Tern's console opens a command
 * line ("tern> "). Editing happens in the UART's interrupt; Enter hands the line to the pCPU that
 * took it, which runs the command from its scheduler loop (a normal Tern context: no vCPU loaded,
 * free to take a VM's life lock and wait for other pCPUs). Guests keep running meanwhile.
 */

/** One command: a name, its argument ("N": a VM number, or none) and what it does. */
struct hypcon_cmd {
	const char *name;
	bool vm_arg;
	const char *help;
	/** Run it; @vm is the VM number when vm_arg. Replies and errors are one line each. */
	void (*run)(unsigned int vm);
};

/** The commands (core/hypcon_cmds.c), in the order help lists them. */
extern const struct hypcon_cmd hypcon_cmds[];
extern const unsigned int hypcon_nr_cmds;

/** Print one reply line of the console, whatever the log level. */
#define hypcon_reply(...) printk(LOG_STATUS, __VA_ARGS__)

#ifdef CONFIG_HYP_CONSOLE
/** Open the command line (the mux saw Ctrl-] ':'), from the UART's interrupt. */
void hypcon_open(void);
/** A character typed while the command line is open: true if it took it. */
bool hypcon_input(char c);
/** A command line waits for this pCPU (its scheduler loop calls hypcon_poll next). */
bool hypcon_posted_here(void);
/** From every pCPU's scheduler loop: run the command handed to this pCPU, if any. */
void hypcon_poll(void);
/** Parse and run one command line (what hypcon_poll does with a posted line). */
void hypcon_run(const char *line);
#else
static inline void hypcon_open(void)
{
}
static inline bool hypcon_input(char c)
{
	(void)c;
	return false;
}
static inline bool hypcon_posted_here(void)
{
	return false;
}
static inline void hypcon_poll(void)
{
}
#endif

#endif
