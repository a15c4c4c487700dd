/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_GUEST_TYPE_H
#define TERN_GUEST_TYPE_H

#include <tern/loader.h>
#include <tern/vm_config.h>

/**
 * A guest type's boot contract (docs/guests.md, "Guest types"): what vm_create() accepts and
 * does for a VM of that type. Everything here changes Tern's behaviour; nothing is only printed.
 */
struct guest_type {
	const char *name;
	/** Image kinds (BIT(enum image_kind)) the type accepts; any other is refused. */
	unsigned int images;
	/** Tern writes a device tree into guest RAM and enters vCPU 0 with x0 = its IPA (else 0).
	 * An initrd needs one: the device tree is the only way to tell the guest where it is. */
	bool device_tree;
	/** The PSCI conduit is the contract's (HVC), not the configuration's. */
	bool fixed_hvc;
};

/** The contract of @type (NULL for an invalid value). */
const struct guest_type *guest_type_get(enum vm_guest_type type);
/** The conduit VM @cfg's PSCI calls use: its type's, else its configuration's. */
enum vm_psci_conduit guest_type_conduit(const struct vm_config *cfg);
/**
 * Check VM @cfg's kernel layout @l (and whether it has an initrd) against its type's contract.
 * Returns 0, or -TERN_EINVAL with the reason logged.
 */
int guest_type_check(const struct vm_config *cfg, const struct image_layout *l, bool initrd);

#endif
