// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGICv2 (virt/vgic.c, vgic_v2.c, vgic_v2_dist.c, vgic_mmio.c) driven by a sequence of guest
 * and device operations decoded from the input: distributor accesses of any offset and size by
 * any vCPU (also past the frame: GICD_SGIR with any value, ITARGETSR and the SGI pending bytes),
 * device lines, PPIs, list-register round trips where the "guest" acks and EOIs at random,
 * resets, loads/saves. After every operation: no ap_list cycle, every queued interrupt on exactly
 * one list whose vCPU is its target, the lock released, list registers within bounds; and the
 * GICv2 rules: an SGI's senders and an SPI's targets are vCPUs the VM has, an SGI not in a list
 * register is pending exactly when it has a sender, every list register names a real sender.
 */
#include <tern/irq.h>
#include <tern/irqchip.h>
#include <tern/platform.h>
#include <tern/mmio.h>
#include <tern/page_alloc.h>
#include <tern/percpu.h>
#include <tern/sched.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/vgic.h>
#include <virt/vgic_core.h>
#include <virt/vgic_hw.h>
#include <virt/vgic_mmio.h>
#include <virt/vgic_v2.h>
#include <asm/stage2.h>
#include <drivers/gicv2.h>
#include "fuzz_input.h"

#define NR_LRS	    4
#define MAX_REGIONS 4
#define MAX_PAGES   32

static struct {
	u64 lr[NR_LRS];
	u64 hcr;
	struct mmio_region regions[MAX_REGIONS];
	unsigned int nr_regions;
	void *pages[MAX_PAGES];
	unsigned int nr_pages;
} fake;

static struct vm vm;

static int fake_hw_init_cpu(const struct platform_irqchip *ic)
{
	(void)ic;
	return 0;
}

static unsigned int fake_hw_nr_lrs(void)
{
	return NR_LRS;
}

static u64 fake_hw_read_lr(unsigned int n)
{
	FUZZ_CHECK(n < NR_LRS);
	return fake.lr[n];
}

static void fake_hw_write_lr(unsigned int n, u64 val)
{
	FUZZ_CHECK(n < NR_LRS);
	fake.lr[n] = val;
}

static void fake_hw_write_hcr(u64 val)
{
	fake.hcr = val;
}

static void fake_hw_save(struct vgic_cpu *c)
{
	(void)c;
}

static void fake_hw_restore(const struct vgic_cpu *c)
{
	(void)c;
}

/* The fakes as the list-register layer of a host interrupt controller named "fake". */
VGIC_HW(fake) = {
	.irqchip = "fake",
	.init_cpu = fake_hw_init_cpu,
	.nr_lrs = fake_hw_nr_lrs,
	.read_lr = fake_hw_read_lr,
	.write_lr = fake_hw_write_lr,
	.write_hcr = fake_hw_write_hcr,
	.save = fake_hw_save,
	.restore = fake_hw_restore,
};

void sched_kick(struct vcpu *vcpu)
{
	/* sched.h: called with the vGIC lock held. */
	FUZZ_CHECK(spin_is_locked(&vcpu->vm->vgic->lock));
}

bool sched_block(struct vcpu *vcpu)
{
	FUZZ_CHECK(spin_is_locked(&vcpu->vm->vgic->lock));
	return true;
}

void sched_kick_flush(void)
{
	/* The kicks go out after the vGIC lock is dropped. */
	FUZZ_CHECK(!spin_is_locked(&vm.vgic->lock));
}

void sched_exit_guest(struct vcpu *vcpu)
{
	/* Its pCPU takes the exit and syncs its list registers (as vgic_active_prepare waits). */
	vgic_sync(vcpu);
}

int irq_request(unsigned int intid, irq_handler_t fn, void *priv)
{
	(void)intid;
	(void)fn;
	(void)priv;
	return 0;
}

int mmio_register(struct mmio_bus *bus, ipa_t base, u64 size, const struct mmio_ops *ops,
		  void *priv, const char *name)
{
	(void)bus;
	FUZZ_CHECK(fake.nr_regions < MAX_REGIONS);
	fake.regions[fake.nr_regions++] = (struct mmio_region){
		.base = base, .size = size, .ops = ops, .priv = priv, .name = name
	};
	return 0;
}

int mmio_unregister(struct mmio_bus *bus, ipa_t base)
{
	(void)bus;
	for (unsigned int i = 0; i < fake.nr_regions; i++) {
		if (fake.regions[i].base == base) {
			fake.regions[i] = fake.regions[--fake.nr_regions];
			return 0;
		}
	}
	FUZZ_CHECK(!"mmio_unregister of a region not registered");
	return -1;
}

void *page_zalloc(unsigned int order)
{
	void *p = aligned_alloc(PAGE_SIZE << order, PAGE_SIZE << order);

	FUZZ_CHECK(p && fake.nr_pages < MAX_PAGES);
	memset(p, 0, PAGE_SIZE << order);
	fake.pages[fake.nr_pages++] = p;
	return p;
}

int page_free(paddr_t addr, unsigned int order)
{
	(void)order;
	for (unsigned int i = 0; i < fake.nr_pages; i++) {
		if (fake.pages[i] == (void *)addr) {
			free(fake.pages[i]);
			fake.pages[i] = fake.pages[--fake.nr_pages];
			return 0;
		}
	}
	FUZZ_CHECK(!"page_free of a page not allocated");
	return -1;
}

/* The GICV frame goes into stage 2: recorded, not mapped. */
static unsigned int s2_mapped;

int stage2_map(struct stage2 *s2, ipa_t ipa, paddr_t pa, u64 size, enum s2_attr attr)
{
	(void)s2;
	FUZZ_CHECK(ipa == 0x08010000UL && pa == 0x2c060000UL && size == 0x2000 &&
		   attr == S2_DEVICE_RW);
	s2_mapped++;
	return 0;
}

int stage2_unmap(struct stage2 *s2, ipa_t ipa, u64 size)
{
	(void)s2;
	FUZZ_CHECK(ipa == 0x08010000UL && size == 0x2000 && s2_mapped);
	s2_mapped--;
	return 0;
}

paddr_t gicv2_cpu_frame(paddr_t base, u64 size)
{
	(void)size;
	return base;
}

static const struct irqchip_driver gicv2_host = { .name = "gicv2" };
static struct platform plat = {
	.irqchip = { .drv = &gicv2_host,
		     .nr_regs = 4,
		     .regs = { { 0x2c010000, 0x1000 },
			       { 0x2c020000, 0x2000 },
			       { 0x2c040000, 0x1000 },
			       { 0x2c060000, 0x2000 } } },
};

static struct pcpu pcpu0;
struct pcpu *unit_this_pcpu = &pcpu0;

static struct vcpu vcpus[VM_MAX_VCPUS];

static void check_lists(void)
{
	static unsigned char seen[VM_MAX_VCPUS * VGIC_NR_PRIVATE + VGIC_NR_SPIS];
	unsigned int total = vm.nr_vcpus * VGIC_NR_PRIVATE + VGIC_NR_SPIS;

	u16 vcpu_bits = (u16)((1U << vm.nr_vcpus) - 1);

	FUZZ_CHECK(!spin_is_locked(&vm.vgic->lock));
	/* Every active-state access let the other vCPUs go again; no list register left live. */
	FUZZ_CHECK(vm.vgic->active_halts == 0);
	for (unsigned int i = 0; i < vm.nr_vcpus; i++)
		FUZZ_CHECK(!vcpus[i].vgic->lrs_live);
	for (unsigned int i = 0; i < VGIC_NR_SPIS; i++)
		FUZZ_CHECK(!(vm.vgic->spis[i].targets & ~vcpu_bits));
	for (unsigned int i = 0; i < vm.nr_vcpus; i++) {
		const struct vgic_cpu *c = vcpus[i].vgic;

		for (unsigned int sgi = 0; sgi < 16; sgi++) {
			const struct vgic_irq *irq = &c->priv[sgi];

			FUZZ_CHECK(!(irq->sgi_source & ~vcpu_bits));
			FUZZ_CHECK(irq->active_source < vm.nr_vcpus);
			if (!irq->in_lr)
				FUZZ_CHECK(irq->pending_latch == (irq->sgi_source != 0));
		}
		for (unsigned int n = 0; n < c->used_lrs; n++) {
			u64 lr = c->lr[n];

			if ((lr & ICH_LR_VINTID_MASK) < 16)
				FUZZ_CHECK(((lr & VGIC_LR_SOURCE_MASK) >> VGIC_LR_SOURCE_SHIFT) <
					   vm.nr_vcpus);
		}
	}
	memset(seen, 0, sizeof(seen));
	for (unsigned int i = 0; i < vm.nr_vcpus; i++) {
		const struct vgic_cpu *c = vcpus[i].vgic;
		unsigned int n = 0;

		FUZZ_CHECK(c->used_lrs <= NR_LRS && c->hw_lrs <= NR_LRS);
		for (struct vgic_irq *irq = c->ap_list; irq; irq = irq->ap_next) {
			size_t idx;

			FUZZ_CHECK(++n <= total);
			FUZZ_CHECK(irq->target == &vcpus[i]);
			if (irq->intid < VGIC_NR_PRIVATE) {
				FUZZ_CHECK(irq >= c->priv && irq < c->priv + VGIC_NR_PRIVATE);
				idx = (size_t)i * VGIC_NR_PRIVATE + irq->intid;
			} else {
				FUZZ_CHECK(irq >= vm.vgic->spis &&
					   irq < vm.vgic->spis + VGIC_NR_SPIS);
				idx = (size_t)vm.nr_vcpus * VGIC_NR_PRIVATE +
				      (size_t)(irq - vm.vgic->spis);
			}
			FUZZ_CHECK(!seen[idx]);
			seen[idx] = 1;
		}
	}
}

static const struct mmio_region *region(const char *name)
{
	for (unsigned int i = 0; i < fake.nr_regions; i++) {
		if (!strcmp(fake.regions[i].name, name))
			return &fake.regions[i];
	}
	return NULL;
}

/* The guest's side of a list-register round trip: ack, EOI, or leave each entry. */
static void guest_runs(struct fuzz_input *in)
{
	for (unsigned int n = 0; n < NR_LRS; n++) {
		u8 what = fuzz_u8(in) % 4;

		if (what == 1 && (fake.lr[n] & ICH_LR_PENDING))
			fake.lr[n] = (fake.lr[n] & ~ICH_LR_PENDING) | ICH_LR_ACTIVE;
		else if (what == 2 && (fake.lr[n] & ICH_LR_ACTIVE))
			fake.lr[n] &= ~ICH_LR_ACTIVE;
		else if (what == 3)
			fake.lr[n] &= ~(ICH_LR_PENDING | ICH_LR_ACTIVE);
	}
}

static void mmio(const struct mmio_region *r, struct vcpu *v, struct fuzz_input *in, bool write)
{
	u64 off = fuzz_u32(in) % (r->size + 0x100), val = fuzz_u64(in);
	unsigned int size = 1U << (fuzz_u8(in) % 4);

	if (write)
		r->ops->write(v, r->priv, off, size, val);
	else
		r->ops->read(v, r->priv, off, size, &val);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size, 0 };
	const struct mmio_region *gicd;

	memset(&fake, 0, sizeof(fake));
	memset(&vm, 0, sizeof(vm));
	memset(vcpus, 0, sizeof(vcpus));
	vgic_hw = &vgic_hw_fake;
	vm.state = VM_RUNNING;
	vm.nr_vcpus = 1 + fuzz_u8(&in) % VM_MAX_VCPUS;
	for (unsigned int i = 0; i < vm.nr_vcpus; i++) {
		vcpus[i].id = i;
		vcpus[i].vm = &vm;
		vcpus[i].state = VCPU_RUNNING;
		/* Aff0 = i, and Aff1 for the upper half: SGI routing across clusters. */
		vcpus[i].arch.vmpidr = (1ULL << 31) | ((u64)(i / 4) << 8) | (i % 4);
		vm.vcpus[i] = &vcpus[i];
	}
	FUZZ_CHECK(vgic_v2_create(&vm, &plat) == 0);
	FUZZ_CHECK(s2_mapped == 1);
	vgic_claim_spi(&vm, 33);
	vgic_claim_spi(&vm, 40);
	gicd = region("gicd");
	for (unsigned int ops = 0; ops < 512 && !fuzz_done(&in); ops++) {
		u8 op = fuzz_u8(&in);
		struct vcpu *v = &vcpus[fuzz_u8(&in) % vm.nr_vcpus];

		switch (op % 12) {
		case 0:
		case 1:
			mmio(gicd, v, &in, op % 12);
			break;
		case 2:
		case 3: {
			/* The registers the GICv2 adds, more often than a random offset finds them.
			 */
			static const u32 offs[] = { 0x800, 0x820, 0x828, 0xF00, 0xF10, 0xF20 };
			u32 off = offs[fuzz_u8(&in) % 6] + fuzz_u8(&in) % 16;
			unsigned int size = (op % 12 == 2) ? 1 : 4;

			if (size == 4)
				off &= ~3U;
			gicd->ops->write(v, gicd->priv, off, size, fuzz_u32(&in));
			break;
		}
		case 4:
			/* A GICv3 ICC_SGI1R write cannot reach a GICv2 model. */
			vgic_send_sgi(v, fuzz_u64(&in), fuzz_u8(&in) & 1);
			break;
		case 5:
			vm_irq_set_level(&vm, 32 + fuzz_u8(&in) % (VGIC_NR_SPIS + 8),
					 fuzz_u8(&in) & 1);
			break;
		case 6:
			vgic_inject_ppi(v, 16 + fuzz_u8(&in) % 16, fuzz_u8(&in) & 1, false, 0);
			break;
		case 7:
			vgic_flush(v);
			guest_runs(&in);
			vgic_sync(v);
			break;
		case 8:
			if (fuzz_u8(&in) % 8 == 0)
				vgic_reset(&vm);
			break;
		case 9:
			(void)vgic_vcpu_pending(v);
			break;
		case 10:
			vgic_claim_spi(&vm, 32 + fuzz_u32(&in) % 1024);
			break;
		default:
			vgic_load(v);
			vgic_put(v);
			break;
		}
		check_lists();
	}
	/* Teardown gives back every page, region and mapping (nothing leaks across VM restarts). */
	vgic_v2_destroy(&vm);
	FUZZ_CHECK(fake.nr_pages == 0 && fake.nr_regions == 0 && s2_mapped == 0);
	return 0;
}
