// SPDX-License-Identifier: GPL-2.0-only
/*
 * Set/way cache maintenance by guests (HCR_EL2.TSW traps DC ISW, CSW and CISW). Passed to the
 * hardware such an operation would act on the caches of whichever pCPU runs the vCPU, where the
 * VM's lines need not be, and on other VMs' lines. Guests (RTOSes, firmware) loop over every set
 * and way to make memory and caches agree before they turn their caches on or off, so that is
 * what Tern does, by address: the first set/way operation cleans and invalidates all of the VM's
 * RAM to the point of coherency and makes the VM-control registers trap (HCR_EL2.TVM), and the
 * rest of the loop costs one trap each and nothing more. When the guest then turns its MMU and
 * caches on or off (a trapped SCTLR_EL1 write), the VM's RAM is cleaned and invalidated again;
 * once they are on, the registers stop trapping until the next set/way operation. KVM does the
 * same (kvm_set_way_flush(), kvm_toggle_cache()).
 */
#include <asm/cache.h>
#include <asm/el1_hw.h>
#include <asm/setway.h>
#include <asm/sysreg.h>
#include <tern/compiler.h>
#include <tern/vcpu.h>
#include <tern/vm.h>

#define SCTLR_KEY SYS_REG(3, 0, 1, 0, 0)

static bool setway_caches_on(u64 sctlr)
{
	return (sctlr & (SCTLR_EL1_M | SCTLR_EL1_C)) == (SCTLR_EL1_M | SCTLR_EL1_C);
}

/* Every line of the VM's RAM, wherever it is cached, written back and dropped. */
static void setway_flush_vm(struct vcpu *vcpu)
{
	const struct vm *vm = vcpu->vm;

	for (unsigned int i = 0; i < vm->nr_ram_chunks; i++)
		dcache_clean_inval_range(vm->ram[i].pa, vm->ram[i].pa + vm->ram[i].size);
	vcpu->setway_flushes++;
}

static void setway_set_tvm(struct vcpu *vcpu, bool on)
{
	u64 hcr = on ? vcpu->arch.hcr | HCR_EL2_TVM : vcpu->arch.hcr & ~HCR_EL2_TVM;

	if (hcr == vcpu->arch.hcr)
		return;
	vcpu->arch.hcr = hcr;
	el1_hw_write_hcr(hcr);
}

void setway_op(struct vcpu *vcpu)
{
	vcpu->exit_count[EXIT_SETWAY]++;
	vcpu->exit_count[EXIT_SYSREG]--; /* counted as a set/way operation instead */
	if (vcpu->arch.hcr & HCR_EL2_TVM)
		return; /* flushed at the first operation of this loop */
	setway_flush_vm(vcpu);
	setway_set_tvm(vcpu, true);
}

bool setway_vm_reg_write(struct vcpu *vcpu, u32 key, u64 val)
{
	bool was_on = key == SCTLR_KEY && setway_caches_on(el1_hw_read_sctlr());

	if (!el1_hw_write_vm_reg(key, val))
		return false;
	if (key != SCTLR_KEY)
		return true;
	if (setway_caches_on(val) != was_on)
		setway_flush_vm(vcpu);
	if (setway_caches_on(val))
		setway_set_tvm(vcpu, false);
	return true;
}
