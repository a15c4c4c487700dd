// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot image inspection and placement: every size and offset comes from an untrusted file, so each
 * sum is checked before use and every field is read byte by byte (no alignment assumed). Range
 * checks are written as "offset <= limit && size <= limit - offset", which cannot overflow.
 */
#include <stdarg.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/loader.h>
#include <tern/printk.h>

/* arm64 Image header (Documentation/arch/arm64/booting.rst). */
#define IMAGE_HDR_SIZE	 64
#define IMAGE_OFF_TEXT	 8
#define IMAGE_OFF_SIZE	 16
#define IMAGE_OFF_FLAGS	 24
#define IMAGE_OFF_MAGIC	 56
#define IMAGE_MAGIC	 0x644d5241U /* "ARM\x64" */
#define IMAGE_FLAG_BE	 BIT(0)
#define IMAGE_TEXT_ALIGN 0x1000ULL

/* ELF64 (only the fields used). */
#define EHDR_SIZE	   64
#define EI_CLASS	   4
#define EI_DATA		   5
#define EI_VERSION	   6
#define ELFCLASS64	   2
#define ELFDATA2LSB	   1
#define EV_CURRENT	   1
#define ET_EXEC		   2
#define EM_AARCH64	   183
#define EHDR_OFF_TYPE	   16
#define EHDR_OFF_MACHINE   18
#define EHDR_OFF_VERSION   20
#define EHDR_OFF_ENTRY	   24
#define EHDR_OFF_PHOFF	   32
#define EHDR_OFF_PHENTSIZE 54
#define EHDR_OFF_PHNUM	   56
#define PHDR_SIZE	   56
#define PHDR_OFF_TYPE	   0
#define PHDR_OFF_OFFSET	   8
#define PHDR_OFF_VADDR	   16
#define PHDR_OFF_PADDR	   24
#define PHDR_OFF_FILESZ	   32
#define PHDR_OFF_MEMSZ	   40
#define PT_LOAD		   1

#define AARCH64_INSN_ALIGN 4

/* Every message of the loader starts "loader: " (one copy of it, not one per message). */
static __printf(2, 3) void loader_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk_prefixed(level, "loader: ", fmt, ap);
	va_end(ap);
}

static u64 ld_le(const u8 *p, unsigned int bytes)
{
	u64 v = 0;

	while (bytes--)
		v = (v << 8) | p[bytes];
	return v;
}

static u16 ld_le16(const u8 *p)
{
	return (u16)ld_le(p, 2);
}

static u32 ld_le32(const u8 *p)
{
	return (u32)ld_le(p, 4);
}

static u64 ld_le64(const u8 *p)
{
	return ld_le(p, 8);
}

/* [off, off + len) inside [0, limit), without overflow. */
static bool loader_within(u64 off, u64 len, u64 limit)
{
	return off <= limit && len <= limit - off;
}

/* [ipa, ipa + len) inside guest RAM. */
static bool loader_in_ram(ipa_t ipa, u64 len, ipa_t ram_base, u64 ram_size)
{
	return ipa >= ram_base && loader_within(ipa - ram_base, len, ram_size);
}

static int loader_check_ram(ipa_t ram_base, u64 ram_size)
{
	if (ram_size == 0 || ram_base + ram_size < ram_base) {
		loader_log(LOG_ERR, "guest RAM 0x%llx size 0x%llx is empty or wraps\n",
			   (unsigned long long)ram_base, (unsigned long long)ram_size);
		return -TERN_EINVAL;
	}
	return 0;
}

static void loader_one_segment(struct image_layout *out, u64 file_size, ipa_t ipa, u64 mem_size)
{
	out->nr_segments = 1;
	out->seg[0] = (struct image_segment){
		.file_offset = 0, .file_size = file_size, .ipa = ipa, .mem_size = mem_size
	};
	out->entry = ipa;
	out->lowest = ipa;
	out->highest = ipa + mem_size;
}

static int loader_inspect_arm64(const u8 *img, u64 size, ipa_t ram_base, u64 ram_size,
				struct image_layout *out)
{
	u64 text_offset = ld_le64(img + IMAGE_OFF_TEXT);
	u64 image_size = ld_le64(img + IMAGE_OFF_SIZE);
	u64 flags = ld_le64(img + IMAGE_OFF_FLAGS);
	u64 extent;

	if (!IS_ALIGNED(ram_base, LOADER_IMAGE_BASE_ALIGN)) {
		loader_log(LOG_ERR,
			   "guest RAM base 0x%llx is not 2 MiB aligned, as an arm64 Image "
			   "needs\n",
			   (unsigned long long)ram_base);
		return -TERN_EINVAL;
	}
	if (flags & IMAGE_FLAG_BE) {
		loader_log(LOG_ERR, "arm64 Image is a big-endian kernel; only little endian is "
				    "supported\n");
		return -TERN_EINVAL;
	}
	if (image_size == 0) {
		/* Before Linux 3.17: text_offset is 0x80000 and the size with BSS is unknown. */
		if (size > ~0ULL - LOADER_OLD_IMAGE_MARGIN) {
			loader_log(LOG_ERR, "arm64 Image of 0x%llx bytes is too large\n",
				   (unsigned long long)size);
			return -TERN_E2BIG;
		}
		text_offset = LOADER_OLD_IMAGE_TEXT_OFFSET;
		extent = ALIGN_DOWN(size + LOADER_OLD_IMAGE_MARGIN, IMAGE_TEXT_ALIGN);
		loader_log(LOG_INFO,
			   "arm64 Image without image_size (pre-3.17 kernel): assuming "
			   "text_offset 0x%llx and 0x%llx bytes with BSS\n",
			   (unsigned long long)text_offset, (unsigned long long)extent);
	} else {
		/* Bytes past image_size (padding) are copied too: the extent covers the file. */
		extent = MAX(image_size, size);
	}
	if (!IS_ALIGNED(text_offset, IMAGE_TEXT_ALIGN)) {
		loader_log(LOG_ERR, "arm64 Image text_offset 0x%llx is not 4 KiB aligned\n",
			   (unsigned long long)text_offset);
		return -TERN_EINVAL;
	}
	if (!loader_within(text_offset, extent, ram_size)) {
		loader_log(LOG_ERR,
			   "arm64 Image needs 0x%llx bytes at RAM offset 0x%llx; guest RAM is "
			   "0x%llx bytes\n",
			   (unsigned long long)extent, (unsigned long long)text_offset,
			   (unsigned long long)ram_size);
		return -TERN_E2BIG;
	}
	out->kind = IMAGE_ARM64;
	loader_one_segment(out, size, ram_base + text_offset, extent);
	return 0;
}

static int loader_check_ehdr(const u8 *img, u64 size)
{
	u64 phoff;
	u16 phnum;

	if (size < EHDR_SIZE) {
		loader_log(LOG_ERR, "ELF: truncated header (0x%llx bytes)\n",
			   (unsigned long long)size);
		return -TERN_EINVAL;
	}
	phoff = ld_le64(img + EHDR_OFF_PHOFF);
	phnum = ld_le16(img + EHDR_OFF_PHNUM);
	if (img[EI_CLASS] != ELFCLASS64 || img[EI_DATA] != ELFDATA2LSB ||
	    img[EI_VERSION] != EV_CURRENT || ld_le32(img + EHDR_OFF_VERSION) != EV_CURRENT) {
		loader_log(LOG_ERR,
			   "ELF: not a little-endian ELF64 version 1 file (class %u, data %u)\n",
			   img[EI_CLASS], img[EI_DATA]);
		return -TERN_EINVAL;
	}
	if (ld_le16(img + EHDR_OFF_MACHINE) != EM_AARCH64) {
		loader_log(LOG_ERR, "ELF: machine %u is not AArch64 (%u)\n",
			   ld_le16(img + EHDR_OFF_MACHINE), EM_AARCH64);
		return -TERN_EINVAL;
	}
	if (ld_le16(img + EHDR_OFF_TYPE) != ET_EXEC) {
		loader_log(LOG_ERR, "ELF: type %u is not an executable (ET_EXEC)\n",
			   ld_le16(img + EHDR_OFF_TYPE));
		return -TERN_EINVAL;
	}
	if (ld_le16(img + EHDR_OFF_PHENTSIZE) != PHDR_SIZE || phnum == 0 ||
	    !loader_within(phoff, (u64)phnum * PHDR_SIZE, size)) {
		loader_log(LOG_ERR,
			   "ELF: bad program header table (offset 0x%llx, %u entries of %u "
			   "bytes, file 0x%llx bytes)\n",
			   (unsigned long long)phoff, phnum, ld_le16(img + EHDR_OFF_PHENTSIZE),
			   (unsigned long long)size);
		return -TERN_EINVAL;
	}
	return 0;
}

/* Check program header @idx; a PT_LOAD with bytes to load is appended to @out. */
static int loader_elf_phdr(const u8 *ph, unsigned int idx, u64 size, ipa_t ram_base, u64 ram_size,
			   struct image_layout *out, u64 *vaddr)
{
	u64 offset = ld_le64(ph + PHDR_OFF_OFFSET);
	u64 paddr = ld_le64(ph + PHDR_OFF_PADDR);
	u64 filesz = ld_le64(ph + PHDR_OFF_FILESZ);
	u64 memsz = ld_le64(ph + PHDR_OFF_MEMSZ);
	struct image_segment *seg;

	if (ld_le32(ph + PHDR_OFF_TYPE) != PT_LOAD)
		return 0;
	if (filesz > memsz) {
		loader_log(LOG_ERR, "ELF: segment %u: p_filesz 0x%llx > p_memsz 0x%llx\n", idx,
			   (unsigned long long)filesz, (unsigned long long)memsz);
		return -TERN_EINVAL;
	}
	if (!loader_within(offset, filesz, size)) {
		loader_log(LOG_ERR,
			   "ELF: segment %u: file bytes 0x%llx+0x%llx lie beyond the end of "
			   "the file (0x%llx bytes)\n",
			   idx, (unsigned long long)offset, (unsigned long long)filesz,
			   (unsigned long long)size);
		return -TERN_EINVAL;
	}
	if (memsz == 0)
		return 0;
	if (!loader_in_ram(paddr, memsz, ram_base, ram_size)) {
		loader_log(LOG_ERR,
			   "ELF: segment %u at 0x%llx size 0x%llx is not inside guest RAM "
			   "0x%llx-0x%llx\n",
			   idx, (unsigned long long)paddr, (unsigned long long)memsz,
			   (unsigned long long)ram_base,
			   (unsigned long long)(ram_base + ram_size - 1));
		return -TERN_ERANGE;
	}
	for (unsigned int i = 0; i < out->nr_segments; i++) {
		seg = &out->seg[i];
		if (paddr < seg->ipa + seg->mem_size && seg->ipa < paddr + memsz) {
			loader_log(LOG_ERR,
				   "ELF: segment %u at 0x%llx overlaps an earlier one at "
				   "0x%llx\n",
				   idx, (unsigned long long)paddr, (unsigned long long)seg->ipa);
			return -TERN_EINVAL;
		}
	}
	if (out->nr_segments == LOADER_MAX_SEGMENTS) {
		loader_log(LOG_ERR, "ELF: more than %u loadable segments\n", LOADER_MAX_SEGMENTS);
		return -TERN_E2BIG;
	}
	vaddr[out->nr_segments] = ld_le64(ph + PHDR_OFF_VADDR);
	out->seg[out->nr_segments++] = (struct image_segment){
		.file_offset = offset, .file_size = filesz, .ipa = paddr, .mem_size = memsz
	};
	return 0;
}

/* e_entry is a virtual address: find the segment whose file-backed bytes hold it. */
static int loader_elf_entry(u64 e_entry, const u64 *vaddr, struct image_layout *out)
{
	for (unsigned int i = 0; i < out->nr_segments; i++) {
		if (e_entry >= vaddr[i] && e_entry - vaddr[i] < out->seg[i].file_size) {
			out->entry = out->seg[i].ipa + (e_entry - vaddr[i]);
			if (IS_ALIGNED(out->entry, AARCH64_INSN_ALIGN))
				return 0;
			break;
		}
	}
	loader_log(LOG_ERR,
		   "ELF: entry point 0x%llx is not an aligned address inside the file "
		   "bytes of a loaded segment\n",
		   (unsigned long long)e_entry);
	return -TERN_EINVAL;
}

static int loader_inspect_elf(const u8 *img, u64 size, ipa_t ram_base, u64 ram_size,
			      struct image_layout *out)
{
	u64 vaddr[LOADER_MAX_SEGMENTS];
	const u8 *phdrs;
	unsigned int phnum;
	int res;

	res = loader_check_ehdr(img, size);
	if (res)
		return res;
	phdrs = img + ld_le64(img + EHDR_OFF_PHOFF);
	phnum = ld_le16(img + EHDR_OFF_PHNUM);
	out->kind = IMAGE_ELF64;
	out->nr_segments = 0;
	for (unsigned int i = 0; i < phnum; i++) {
		res = loader_elf_phdr(phdrs + (u64)i * PHDR_SIZE, i, size, ram_base, ram_size, out,
				      vaddr);
		if (res)
			return res;
	}
	if (out->nr_segments == 0) {
		loader_log(LOG_ERR, "ELF: no loadable segment\n");
		return -TERN_EINVAL;
	}
	out->lowest = out->seg[0].ipa;
	out->highest = out->seg[0].ipa + out->seg[0].mem_size;
	for (unsigned int i = 1; i < out->nr_segments; i++) {
		out->lowest = MIN(out->lowest, out->seg[i].ipa);
		out->highest = MAX(out->highest, out->seg[i].ipa + out->seg[i].mem_size);
	}
	return loader_elf_entry(ld_le64(img + EHDR_OFF_ENTRY), vaddr, out);
}

static int loader_inspect_raw(u64 size, ipa_t ram_base, u64 ram_size, struct image_layout *out)
{
	if (size > ram_size) {
		loader_log(LOG_ERR,
			   "raw image of 0x%llx bytes does not fit in 0x%llx bytes of guest "
			   "RAM\n",
			   (unsigned long long)size, (unsigned long long)ram_size);
		return -TERN_E2BIG;
	}
	out->kind = IMAGE_RAW;
	loader_one_segment(out, size, ram_base, size);
	return 0;
}

int loader_inspect(const void *img, u64 size, ipa_t ram_base, u64 ram_size,
		   struct image_layout *out)
{
	static const u8 elf_magic[4] = { 0x7f, 'E', 'L', 'F' };
	const u8 *p = img;
	int res;

	if (!img || !out)
		return -TERN_EINVAL;
	*out = (struct image_layout){ 0 };
	res = loader_check_ram(ram_base, ram_size);
	if (res)
		return res;
	if (size == 0) {
		loader_log(LOG_ERR, "empty image\n");
		return -TERN_EINVAL;
	}
	if (size >= IMAGE_HDR_SIZE && ld_le32(p + IMAGE_OFF_MAGIC) == IMAGE_MAGIC)
		res = loader_inspect_arm64(p, size, ram_base, ram_size, out);
	else if (size >= sizeof(elf_magic) && p[0] == elf_magic[0] && p[1] == elf_magic[1] &&
		 p[2] == elf_magic[2] && p[3] == elf_magic[3])
		res = loader_inspect_elf(p, size, ram_base, ram_size, out);
	else
		res = loader_inspect_raw(size, ram_base, ram_size, out);
	if (res)
		*out = (struct image_layout){ 0 };
	return res;
}

int loader_place(const struct image_layout *kernel, u64 initrd_size, u64 dtb_size, ipa_t ram_base,
		 u64 ram_size, ipa_t *initrd_ipa, ipa_t *dtb_ipa)
{
	ipa_t top, dtb, initrd = 0, low;
	int res;

	if (!kernel || !initrd_ipa || !dtb_ipa || dtb_size == 0)
		return -TERN_EINVAL;
	res = loader_check_ram(ram_base, ram_size);
	if (res)
		return res;
	if (dtb_size > LOADER_DTB_BLOCK) {
		loader_log(LOG_ERR, "DTB of 0x%llx bytes is larger than 2 MiB\n",
			   (unsigned long long)dtb_size);
		return -TERN_E2BIG;
	}
	top = ALIGN_DOWN(ram_base + ram_size, LOADER_DTB_BLOCK);
	if (top < ram_base || top - ram_base < LOADER_DTB_BLOCK) {
		loader_log(LOG_ERR,
			   "guest RAM 0x%llx size 0x%llx has no whole 2 MiB block for the "
			   "DTB\n",
			   (unsigned long long)ram_base, (unsigned long long)ram_size);
		return -TERN_E2BIG;
	}
	dtb = top - LOADER_DTB_BLOCK;
	low = dtb;
	if (initrd_size) {
		if (initrd_size > dtb - ram_base ||
		    ALIGN_DOWN(dtb - initrd_size, LOADER_INITRD_ALIGN) < ram_base) {
			loader_log(LOG_ERR,
				   "initrd of 0x%llx bytes does not fit below the DTB at "
				   "0x%llx\n",
				   (unsigned long long)initrd_size, (unsigned long long)dtb);
			return -TERN_E2BIG;
		}
		initrd = ALIGN_DOWN(dtb - initrd_size, LOADER_INITRD_ALIGN);
		low = initrd;
	}
	if (kernel->lowest < top && kernel->highest > low) {
		loader_log(
		    LOG_ERR, "kernel at 0x%llx-0x%llx leaves no room for the %s at 0x%llx-0x%llx\n",
		    (unsigned long long)kernel->lowest, (unsigned long long)kernel->highest - 1,
		    initrd_size ? "initrd and DTB" : "DTB", (unsigned long long)low,
		    (unsigned long long)top - 1);
		return -TERN_E2BIG;
	}
	*initrd_ipa = initrd;
	*dtb_ipa = dtb;
	return 0;
}
