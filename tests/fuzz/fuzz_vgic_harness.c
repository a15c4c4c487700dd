// SPDX-License-Identifier: GPL-2.0-only
/* The harness the vGIC fuzz targets share (fuzz_vgic_harness.h). */
#include <tern/irq.h>
#include <tern/page_alloc.h>
#include <tern/percpu.h>
#include <tern/sched.h>
#include <virt/vgic.h>
#include <virt/vgic_core.h>
#include <virt/vgic_hw.h>
#include "fuzz_vgic_harness.h"

struct vm fuzz_vm;
struct vcpu fuzz_vcpus[VM_MAX_VCPUS];
struct fuzz_vgic_fakes fuzz_vgic_fakes;

static struct pcpu pcpu0;
struct pcpu *unit_this_pcpu = &pcpu0;

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

bool sched_block_unqueued(struct vcpu *vcpu)
{
	/* sched.h: only with nothing queued for it. */
	FUZZ_CHECK(vgic_vcpu_unqueued(vcpu));
	return true;
}

void sched_kick_flush(void)
{
	/* The kicks go out after the vGIC lock is dropped. */
	FUZZ_CHECK(!spin_is_locked(&fuzz_vm.vgic->lock));
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
	struct fuzz_vgic_fakes *f = &fuzz_vgic_fakes;

	(void)bus;
	FUZZ_CHECK(f->nr_regions < FUZZ_VGIC_MAX_REGIONS);
	f->regions[f->nr_regions++] = (struct mmio_region){
		.base = base, .size = size, .ops = ops, .priv = priv, .name = name
	};
	return 0;
}

int mmio_unregister(struct mmio_bus *bus, ipa_t base)
{
	struct fuzz_vgic_fakes *f = &fuzz_vgic_fakes;

	(void)bus;
	for (unsigned int i = 0; i < f->nr_regions; i++) {
		if (f->regions[i].base == base) {
			f->regions[i] = f->regions[--f->nr_regions];
			return 0;
		}
	}
	FUZZ_CHECK(!"mmio_unregister of a region not registered");
	return -1;
}

void *page_zalloc(unsigned int order)
{
	struct fuzz_vgic_fakes *f = &fuzz_vgic_fakes;
	void *p = aligned_alloc(PAGE_SIZE << order, PAGE_SIZE << order);

	FUZZ_CHECK(p && f->nr_pages < FUZZ_VGIC_MAX_PAGES);
	memset(p, 0, PAGE_SIZE << order);
	f->pages[f->nr_pages++] = p;
	return p;
}

int page_free(paddr_t addr, unsigned int order)
{
	struct fuzz_vgic_fakes *f = &fuzz_vgic_fakes;

	(void)order;
	for (unsigned int i = 0; i < f->nr_pages; i++) {
		if (f->pages[i] == (void *)addr) {
			free(f->pages[i]);
			f->pages[i] = f->pages[--f->nr_pages];
			return 0;
		}
	}
	FUZZ_CHECK(!"page_free of a page not allocated");
	return -1;
}

void fuzz_vgic_vm_init(struct fuzz_input *in)
{
	memset(&fuzz_vgic_fakes, 0, sizeof(fuzz_vgic_fakes));
	memset(fuzz_vcpus, 0, sizeof(fuzz_vcpus));
	/* Aff0 = i % 4, Aff1 = i / 4: SGI routing across clusters. */
	fake_vgic_vm_init(&fuzz_vm, fuzz_vcpus, 1 + fuzz_u8(in) % VM_MAX_VCPUS, NULL);
}

const struct mmio_region *fuzz_vgic_region(const char *name)
{
	for (unsigned int i = 0; i < fuzz_vgic_fakes.nr_regions; i++) {
		if (!strcmp(fuzz_vgic_fakes.regions[i].name, name))
			return &fuzz_vgic_fakes.regions[i];
	}
	return NULL;
}

void fuzz_vgic_mmio(const struct mmio_region *r, struct vcpu *v, struct fuzz_input *in, bool write)
{
	u64 off = fuzz_u32(in) % (r->size + 0x100), val = fuzz_u64(in);
	unsigned int size = 1U << (fuzz_u8(in) % 4);

	if (write)
		r->ops->write(v, r->priv, off, size, val);
	else
		r->ops->read(v, r->priv, off, size, &val);
}

void fuzz_vgic_guest_runs(struct fuzz_input *in)
{
	u64 *lr = fake_vgic_hw.lr;

	for (unsigned int n = 0; n < FAKE_VGIC_NR_LRS; n++) {
		u8 what = fuzz_u8(in) % 4;

		if (what == 1 && (lr[n] & ICH_LR_PENDING))
			lr[n] = (lr[n] & ~ICH_LR_PENDING) | ICH_LR_ACTIVE;
		else if (what == 2 && (lr[n] & ICH_LR_ACTIVE))
			lr[n] &= ~ICH_LR_ACTIVE;
		else if (what == 3)
			lr[n] &= ~(ICH_LR_PENDING | ICH_LR_ACTIVE);
	}
}

void fuzz_vgic_check_lists(void)
{
	static unsigned char seen[VM_MAX_VCPUS * VGIC_NR_PRIVATE + VGIC_NR_SPIS];
	const struct vm *vm = &fuzz_vm;
	unsigned int total = vm->nr_vcpus * VGIC_NR_PRIVATE + VGIC_NR_SPIS;

	FUZZ_CHECK(!spin_is_locked(&vm->vgic->lock));
	/* Every active-state access let the other vCPUs go again; no list register left live. */
	FUZZ_CHECK(vm->vgic->active_halts == 0);
	memset(seen, 0, sizeof(seen));
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		const struct vgic_cpu *c = fuzz_vcpus[i].vgic;
		unsigned int n = 0;

		FUZZ_CHECK(c->used_lrs <= FAKE_VGIC_NR_LRS && c->hw_lrs <= FAKE_VGIC_NR_LRS);
		FUZZ_CHECK(!c->lrs_live);
		for (struct vgic_irq *irq = c->ap_list; irq; irq = irq->ap_next) {
			size_t idx;

			FUZZ_CHECK(++n <= total);
			FUZZ_CHECK(irq->target == &fuzz_vcpus[i]);
			if (irq->intid < VGIC_NR_PRIVATE) {
				FUZZ_CHECK(irq >= c->priv && irq < c->priv + VGIC_NR_PRIVATE);
				idx = (size_t)i * VGIC_NR_PRIVATE + irq->intid;
			} else {
				FUZZ_CHECK(irq >= vm->vgic->spis &&
					   irq < vm->vgic->spis + VGIC_NR_SPIS);
				idx = (size_t)vm->nr_vcpus * VGIC_NR_PRIVATE +
				      (size_t)(irq - vm->vgic->spis);
			}
			FUZZ_CHECK(!seen[idx]);
			seen[idx] = 1;
		}
	}
}

void fuzz_vgic_run(struct fuzz_input *in,
		   void (*model_op)(struct vcpu *v, bool odd, struct fuzz_input *in),
		   void (*check)(void))
{
	struct vm *vm = &fuzz_vm;
	const struct mmio_region *gicd = fuzz_vgic_region("gicd");

	FUZZ_CHECK(gicd);
	for (unsigned int ops = 0; ops < 512 && !fuzz_done(in); ops++) {
		u8 op = fuzz_u8(in);
		struct vcpu *v = &fuzz_vcpus[fuzz_u8(in) % vm->nr_vcpus];

		switch (op % 12) {
		case 0:
		case 1:
			fuzz_vgic_mmio(gicd, v, in, op % 12);
			break;
		case 2:
		case 3:
			model_op(v, op % 12 == 3, in);
			break;
		case 4:
			/* ICC_SGI1R/SGI0R: a GICv2 model has neither, nothing is sent. */
			vgic_send_sgi(v, fuzz_u64(in), fuzz_u8(in) & 1);
			break;
		case 5:
			vm_irq_set_level(vm, 32 + fuzz_u8(in) % (VGIC_NR_SPIS + 8),
					 fuzz_u8(in) & 1);
			break;
		case 6:
			vgic_inject_ppi(v, 16 + fuzz_u8(in) % 16, fuzz_u8(in) & 1, false, 0);
			break;
		case 7:
			vgic_flush(v);
			fuzz_vgic_guest_runs(in);
			vgic_sync(v);
			break;
		case 8:
			if (fuzz_u8(in) % 8 == 0)
				vgic_reset(vm);
			break;
		case 9:
			(void)vgic_vcpu_pending(v);
			break;
		case 10:
			vgic_claim_spi(vm, 32 + fuzz_u32(in) % 1024);
			break;
		default:
			vgic_load(v);
			vgic_put(v);
			break;
		}
		fuzz_vgic_check_lists();
		if (check)
			check();
	}
}

void fuzz_vgic_check_teardown(void)
{
	FUZZ_CHECK(fuzz_vgic_fakes.nr_pages == 0 && fuzz_vgic_fakes.nr_regions == 0);
}
