// SPDX-License-Identifier: GPL-2.0-only
/*
 * Split virtqueues, device side (virtio 1.2, 2.7). The guest owns the rings and may rewrite them
 * while Tern reads: each index and descriptor is copied into Tern's memory once and every check
 * is made on that copy. Walking a chain is bounded by the queue size (2.7.5.3.1: no chain is
 * longer), so a loop ends the walk; one level of indirection at most (2.7.5.3.1).
 */
#include <tern/compiler.h>
#include <virt/virtqueue.h>

static bool vq_read16(const struct virtq_mem *m, u64 addr, u16 *v)
{
	return m->read(m->ctx, addr, v, sizeof(*v)) == 0;
}

void virtq_reset(struct virtq *vq)
{
	*vq = (struct virtq){ 0 };
}

const char *virtq_check(const struct virtq *vq, const struct virtq_mem *m, u16 num_max)
{
	if (!vq->num)
		return "QueueNum is 0";
	if (vq->num > num_max)
		return "QueueNum is above QueueNumMax";
	if (vq->num & (vq->num - 1))
		return "QueueNum is not a power of 2";
	if (!IS_ALIGNED(vq->desc, VIRTQ_DESC_ALIGN) || !IS_ALIGNED(vq->avail, VIRTQ_AVAIL_ALIGN) ||
	    !IS_ALIGNED(vq->used, VIRTQ_USED_ALIGN))
		return "a ring is misaligned";
	if (!m->in_ram(m->ctx, vq->desc, sizeof(struct virtq_desc) * (u64)vq->num) ||
	    !m->in_ram(m->ctx, vq->avail, VIRTQ_AVAIL_SIZE(vq->num)) ||
	    !m->in_ram(m->ctx, vq->used, VIRTQ_USED_SIZE(vq->num)))
		return "a ring is not in the VM's RAM (or its address was never set)";
	return NULL;
}

/* Add one buffer to the chain, noting (not failing on) buffers the device cannot use. */
static void vq_add_buf(const struct virtq_mem *m, const struct virtq_scratch *s,
		       struct virtq_chain *c, const struct virtq_desc *d)
{
	bool write = d->flags & VIRTQ_DESC_F_WRITE;

	/* Readable before writable (2.7.4.2): a wrong order shows at the first such pair. */
	if (!write && c->nr && s->bufs[c->nr - 1].write && !c->bad)
		c->bad = "a device-readable buffer follows a device-writable one";
	if (!m->in_ram(m->ctx, d->addr, d->len) && !c->bad)
		c->bad = "a buffer is not in the VM's RAM";
	s->bufs[c->nr++] = (struct virtq_buf){ .addr = d->addr, .len = d->len, .write = write };
	if (write)
		c->writable += d->len;
	else
		c->readable += d->len;
}

/*
 * The indirect table @d points to, walked from entry 0 (2.7.5.3.2). @used counts the
 * descriptors of the chain so far; with the table's entries it stays within the queue size.
 */
static const char *vq_walk_indirect(const struct virtq *vq, const struct virtq_mem *m,
				    const struct virtq_scratch *s, struct virtq_chain *c,
				    const struct virtq_desc *d, unsigned int used)
{
	unsigned int n, i = 0;

	if (!vq->indirect)
		return "an indirect descriptor without VIRTIO_F_INDIRECT_DESC";
	if (d->flags & VIRTQ_DESC_F_NEXT)
		return "an indirect descriptor with NEXT set";
	if (!d->len || d->len % sizeof(struct virtq_desc))
		return "an indirect table whose size is not a multiple of 16";
	n = d->len / sizeof(struct virtq_desc);
	if (n > vq->num || used + n > vq->num)
		return "a chain longer than the queue size";
	/* One copy of the whole table: the guest cannot change it under the walk. */
	if (m->read(m->ctx, d->addr, s->table, d->len))
		return "an indirect table that is not in the VM's RAM";
	for (unsigned int steps = 0;; steps++) {
		const struct virtq_desc *e = &s->table[i];

		if (steps == n)
			return "a loop in an indirect table";
		if (e->flags & VIRTQ_DESC_F_INDIRECT)
			return "an indirect table inside an indirect table";
		vq_add_buf(m, s, c, e);
		if (!(e->flags & VIRTQ_DESC_F_NEXT))
			return NULL;
		i = e->next;
		if (i >= n)
			return "a next index past the end of its indirect table";
	}
}

/* Walk the chain from @head; NULL, or why the ring is broken. */
static const char *vq_walk(const struct virtq *vq, const struct virtq_mem *m,
			   const struct virtq_scratch *s, struct virtq_chain *c, u16 head)
{
	u16 i = head;

	for (unsigned int count = 0;; count++) {
		struct virtq_desc d;

		if (count == vq->num)
			return "a descriptor chain longer than the queue (a loop)";
		if (m->read(m->ctx, vq->desc + (u64)i * sizeof(d), &d, sizeof(d)))
			return "the descriptor table is not readable";
		if (d.flags & VIRTQ_DESC_F_INDIRECT)
			return vq_walk_indirect(vq, m, s, c, &d, count);
		vq_add_buf(m, s, c, &d);
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return NULL;
		i = d.next;
		if (i >= vq->num)
			return "a next index past the end of the descriptor table";
	}
}

int virtq_pop(struct virtq *vq, const struct virtq_mem *m, const struct virtq_scratch *s,
	      struct virtq_chain *c, const char **why)
{
	u16 avail_idx, head;

	if (!vq_read16(m, vq->avail + VIRTQ_AVAIL_IDX, &avail_idx)) {
		*why = "the driver area is not readable";
		return -1;
	}
	if (avail_idx == vq->last_avail)
		return 0;
	if ((u16)(avail_idx - vq->last_avail) > vq->num) {
		*why = "the available index moved by more than the queue size";
		return -1;
	}
	if (s->size < vq->num) {
		*why = "no room to walk a chain of this queue size";
		return -1;
	}
	if (!vq_read16(m, vq->avail + VIRTQ_AVAIL_RING(vq->last_avail & (vq->num - 1)), &head)) {
		*why = "the driver area is not readable";
		return -1;
	}
	if (head >= vq->num) {
		*why = "an available ring entry past the end of the descriptor table";
		return -1;
	}
	vq->last_avail++;
	*c = (struct virtq_chain){ .head = head };
	*why = vq_walk(vq, m, s, c, head);
	return *why ? -1 : 1;
}

int virtq_push(struct virtq *vq, const struct virtq_mem *m, u16 head, u32 len)
{
	struct virtq_used_elem e = { .id = head, .len = len };
	u16 idx = (u16)(vq->used_idx + 1);

	/* The element before the index: the write callback keeps the order (2.7.8.2). */
	if (m->write(m->ctx, vq->used + VIRTQ_USED_RING(vq->used_idx & (vq->num - 1)), &e,
		     sizeof(e)) ||
	    m->write(m->ctx, vq->used + VIRTQ_USED_IDX, &idx, sizeof(idx)))
		return -1;
	vq->used_idx = idx;
	return 0;
}

bool virtq_should_interrupt(struct virtq *vq, const struct virtq_mem *m)
{
	u16 old = vq->signalled_used, flags, event;
	bool valid = vq->signalled_valid;

	vq->signalled_used = vq->used_idx;
	vq->signalled_valid = true;
	if (vq->event_idx) {
		/* used_event sits after the avail ring (2.7.10). */
		if (!vq_read16(m, vq->avail + VIRTQ_AVAIL_RING(vq->num), &event))
			return true;
		return !valid || virtq_need_event(event, vq->used_idx, old);
	}
	if (!vq_read16(m, vq->avail, &flags))
		return true;
	return !(flags & VIRTQ_AVAIL_F_NO_INTERRUPT);
}

bool virtq_enable_notify(struct virtq *vq, const struct virtq_mem *m)
{
	u16 avail_idx;

	/* avail_event sits after the used ring; the re-read below sees what raced with it. */
	if (vq->event_idx)
		m->write(m->ctx, vq->used + VIRTQ_USED_RING(vq->num), &vq->last_avail,
			 sizeof(vq->last_avail));
	if (!vq_read16(m, vq->avail + VIRTQ_AVAIL_IDX, &avail_idx))
		return false;
	return avail_idx != vq->last_avail;
}
