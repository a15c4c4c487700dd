/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DRIVERS_PSCI_H
#define DRIVERS_PSCI_H

#include <tern/platform.h>
#include <tern/types.h>

#define PSCI_0_2_FN_PSCI_VERSION  0x84000000U
#define PSCI_0_2_FN64_CPU_ON	  0xC4000003U
#define PSCI_0_2_FN_SYSTEM_OFF	  0x84000008U
#define PSCI_0_2_FN_SYSTEM_RESET  0x84000009U
#define PSCI_1_0_FN_PSCI_FEATURES 0x8400000AU

#define PSCI_RET_SUCCESS	    0
#define PSCI_RET_NOT_SUPPORTED	    -1
#define PSCI_RET_INVALID_PARAMETERS -2
#define PSCI_RET_DENIED		    -3
#define PSCI_RET_ALREADY_ON	    -4
#define PSCI_RET_ON_PENDING	    -5
#define PSCI_RET_INTERNAL_FAILURE   -6
#define PSCI_RET_NOT_PRESENT	    -7
#define PSCI_RET_DISABLED	    -8
#define PSCI_RET_INVALID_ADDRESS    -9

/* Tern as a PSCI client of the firmware below it (the conduit comes from the DT's /psci node). */
int psci_init(const struct platform_psci *psci);
bool psci_available(void);
int psci_cpu_on(u64 mpidr, paddr_t entry, u64 context_id);
/* Return only if the firmware refused. */
void psci_system_off(void);
void psci_system_reset(void);
const char *psci_strerror(int ret);

#endif
