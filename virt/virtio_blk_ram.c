// SPDX-License-Identifier: GPL-2.0-only
/*
 * RAM disk backend: the VM's disk is its "tern,disk" boot module, used in place (it is Tern's
 * memory, reserved at boot and never mapped into any guest). Writes last until the machine
 * powers off; a VM reset keeps them, as a disk would. Requests complete before submit returns.
 */
#include <tern/errno.h>
#include <tern/printk.h>
#include <tern/vm.h>
#include <virt/virtio_blk.h>

static __cold int vblk_ram_open(struct vblk *vb, const struct vblk_disk_cfg *cfg)
{
	if (cfg->ram_size < VIRTIO_BLK_SECTOR_SIZE) {
		pr_err("virtio-blk: the disk boot module is smaller than one sector\n");
		return -TERN_EINVAL;
	}
	vb->be = (void *)cfg->ram_base;
	vb->capacity = cfg->ram_size >> VIRTIO_BLK_SECTOR_SHIFT;
	return 0;
}

static __cold void vblk_ram_close(struct vblk *vb)
{
	vb->be = NULL;
}

/*
 * The copies do the cache maintenance a guest running with its caches off needs, and only then
 * (vm_io_*).
 */
static int vblk_ram_submit(struct vblk *vb, struct vblk_slot *s, const struct vblk_io *io)
{
	const struct vblk_req *r = io->req;
	u8 *disk = (u8 *)vb->be + (r->sector << VIRTIO_BLK_SECTOR_SHIFT);
	struct vm *vm = vb->vd.vm;
	struct vblk_iter it;
	u8 status = VIRTIO_BLK_S_OK;
	u64 addr;
	u32 len;

	vblk_iter_init(&it, io->chain, io->bufs, r);
	while (r->type != VIRTIO_BLK_T_FLUSH && vblk_iter_next(&it, &addr, &len)) {
		int rc = r->type == VIRTIO_BLK_T_IN ? vm_io_to_guest(vm, addr, disk, len)
						    : vm_io_from_guest(vm, disk, addr, len);

		if (rc) {
			status = VIRTIO_BLK_S_IOERR;
			break;
		}
		disk += len;
	}
	vblk_part_done_locked(vb, s, status);
	return 0;
}

const struct vblk_backend_ops vblk_ram_backend = {
	.name = "RAM disk",
	.open = vblk_ram_open,
	.close = vblk_ram_close,
	.submit = vblk_ram_submit,
};
