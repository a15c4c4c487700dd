// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot image inspection and placement: ELF guests built by the cross toolchain (under
 * $UNIT_DATA/elf), arm64 Image headers and broken files crafted here.
 */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <tern/errno.h>
#include <tern/loader.h>
#include "stub_printk.h"
#include "unit_helpers.h"

#define RAM_BASE 0x40000000ULL
#define RAM_SIZE 0x8000000ULL /* 128 MiB */
#define SZ_2M	 0x200000ULL

static struct image_layout lay;

static void *load_file(const char *name, size_t *size)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "elf/%s", name);
	return unit_load_data(rel, size);
}

static void assert_logged(const char *needle)
{
	if (!stub_printk_contains(needle))
		fail_msg("log lacks \"%s\"; log:\n%s", needle, stub_printk_log());
}

/* Inspect a copy of exactly @size bytes, so ASan catches any read past the end. */
static int inspect(const void *img, size_t size, ipa_t ram_base, u64 ram_size)
{
	void *copy = malloc(size ? size : 1);
	int res;

	assert_non_null(copy);
	memcpy(copy, img, size);
	stub_printk_reset();
	res = loader_inspect(copy, size, ram_base, ram_size, &lay);
	free(copy);
	return res;
}

static void expect_fail(const void *img, size_t size, int err, const char *msg)
{
	assert_int_equal(inspect(img, size, RAM_BASE, RAM_SIZE), err);
	assert_logged(msg);
	assert_int_equal(lay.nr_segments, 0);
}

/* ---- ELF ---- */

static void test_elf_two_segments(void **state)
{
	size_t size;
	unsigned char *elf = load_file("two-segments.elf", &size);
	const unsigned char *text;

	assert_int_equal(inspect(elf, size, RAM_BASE, RAM_SIZE), 0);
	assert_string_equal(stub_printk_log(), "");
	assert_int_equal(lay.kind, IMAGE_ELF64);
	assert_int_equal(lay.entry, 0x40000000);
	assert_int_equal(lay.nr_segments, 2);
	assert_int_equal(lay.seg[0].ipa, 0x40000000);
	assert_int_equal(lay.seg[0].file_size, 16);
	assert_int_equal(lay.seg[0].mem_size, 16);
	assert_int_equal(lay.seg[1].ipa, 0x40080000);
	assert_int_equal(lay.seg[1].file_size, 8);
	assert_int_equal(lay.seg[1].mem_size, 0x108);
	assert_int_equal(lay.lowest, 0x40000000);
	assert_int_equal(lay.highest, 0x40080108);
	for (unsigned int i = 0; i < 2; i++)
		assert_true(lay.seg[i].file_offset + lay.seg[i].file_size <= size);
	/* The text segment's bytes are the program: "b ." last, the data word is 0x7465726e. */
	text = elf + lay.seg[0].file_offset;
	assert_int_equal(text[12] | text[13] << 8 | text[14] << 16 | (unsigned)text[15] << 24,
			 0x14000000);
	assert_int_equal(elf[lay.seg[1].file_offset], 0x6e);

	/* Just enough RAM for both; one byte less and the BSS falls outside. */
	assert_int_equal(inspect(elf, size, RAM_BASE, 0x80108), 0);
	assert_int_equal(inspect(elf, size, RAM_BASE, 0x80107), -TERN_ERANGE);
	assert_logged("loader: ELF: segment 1 at 0x40080000 size 0x108 is not inside guest RAM "
		      "0x40000000-0x40080106\n");
	free(elf);
}

static void test_elf_low(void **state)
{
	size_t size;
	void *elf = load_file("low.elf", &size);

	expect_fail(elf, size, -TERN_ERANGE, "loader: ELF: segment 0 at 0x1000 size 0x");
	assert_logged("is not inside guest RAM 0x40000000-0x47ffffff\n");
	free(elf);
}

/* The two-segment ELF with its headers at hand for corruption. */
struct elf_copy {
	unsigned char *buf;
	size_t size;
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
};

static struct elf_copy elf_fresh(void)
{
	struct elf_copy e;

	e.buf = load_file("two-segments.elf", &e.size);
	e.eh = (Elf64_Ehdr *)e.buf;
	e.ph = (Elf64_Phdr *)(e.buf + e.eh->e_phoff);
	assert_int_equal(e.eh->e_phnum, 3);
	assert_int_equal(e.ph[0].p_type, PT_LOAD);
	assert_int_equal(e.ph[1].p_type, PT_LOAD);
	return e;
}

#define ELF_CASE(mutation, err, msg)                                                               \
	do {                                                                                       \
		struct elf_copy e = elf_fresh();                                                   \
		mutation;                                                                          \
		expect_fail(e.buf, e.size, err, msg);                                              \
		free(e.buf);                                                                       \
	} while (0)

static void test_elf_bad_header(void **state)
{
	ELF_CASE(e.size = 63, -TERN_EINVAL, "loader: ELF: truncated header (0x3f bytes)\n");
	ELF_CASE(e.size = 4, -TERN_EINVAL, "truncated header");
	ELF_CASE(e.buf[EI_CLASS] = ELFCLASS32, -TERN_EINVAL,
		 "not a little-endian ELF64 version 1 file (class 1, data 1)");
	ELF_CASE(e.buf[EI_DATA] = ELFDATA2MSB, -TERN_EINVAL, "(class 2, data 2)");
	ELF_CASE(e.eh->e_version = 0, -TERN_EINVAL, "not a little-endian ELF64");
	ELF_CASE(e.eh->e_machine = EM_X86_64, -TERN_EINVAL,
		 "loader: ELF: machine 62 is not AArch64 (183)\n");
	ELF_CASE(e.eh->e_type = ET_DYN, -TERN_EINVAL, "type 3 is not an executable (ET_EXEC)");
	ELF_CASE(e.eh->e_phnum = 0, -TERN_EINVAL, "bad program header table");
	ELF_CASE(e.eh->e_phentsize = 32, -TERN_EINVAL, "entries of 32 bytes");
	ELF_CASE(e.eh->e_phoff = ~0ULL - 8, -TERN_EINVAL, "bad program header table");
	/* The table's last entry cut off by the end of the file. */
	ELF_CASE(e.size = e.eh->e_phoff + 3 * sizeof(Elf64_Phdr) - 1, -TERN_EINVAL,
		 "bad program header table");
	ELF_CASE(e.eh->e_phnum = 0xffff, -TERN_EINVAL, "65535 entries");
}

static void test_elf_bad_segments(void **state)
{
	ELF_CASE(e.ph[1].p_filesz = 0x109, -TERN_EINVAL,
		 "loader: ELF: segment 1: p_filesz 0x109 > p_memsz 0x108\n");
	ELF_CASE(e.ph[0].p_offset = e.size - 8, -TERN_EINVAL, "segment 0: file bytes 0x");
	ELF_CASE((e.ph[1].p_offset = ~0ULL - 4, e.ph[1].p_filesz = 8), -TERN_EINVAL,
		 "segment 1: file bytes 0xfffffffffffffffb+0x8 lie beyond the end of the file");
	/* p_paddr + p_memsz wraps past 2^64. */
	ELF_CASE((e.ph[1].p_paddr = 0xfffffffffffff000ULL, e.ph[1].p_memsz = 0x2000), -TERN_ERANGE,
		 "segment 1 at 0xfffffffffffff000 size 0x2000 is not inside guest RAM");
	ELF_CASE((e.ph[1].p_memsz = ~0ULL, e.ph[1].p_filesz = 8), -TERN_ERANGE,
		 "segment 1 at 0x40080000 size 0xffffffffffffffff");
	ELF_CASE(e.ph[1].p_paddr = 0x4000000c, -TERN_EINVAL,
		 "segment 1 at 0x4000000c overlaps an earlier one at 0x40000000");
	ELF_CASE(e.ph[0].p_type = PT_NOTE, -TERN_EINVAL,
		 "loader: ELF: entry point 0x40000000 is not an aligned address");
	ELF_CASE((e.ph[0].p_type = PT_NOTE, e.ph[1].p_type = PT_NULL), -TERN_EINVAL,
		 "loader: ELF: no loadable segment\n");
}

static void test_elf_entry(void **state)
{
	struct elf_copy e;

	ELF_CASE(e.eh->e_entry = 0x40000010, -TERN_EINVAL, "entry point 0x40000010");
	ELF_CASE(e.eh->e_entry = 0x40000002, -TERN_EINVAL, "entry point 0x40000002");
	/* In the BSS: zeros, not code. */
	ELF_CASE(e.eh->e_entry = 0x40080010, -TERN_EINVAL, "entry point 0x40080010");
	ELF_CASE(e.eh->e_entry = 0, -TERN_EINVAL, "entry point 0x0 ");

	/* Linked at one address, loaded at another: the entry follows p_paddr. */
	e = elf_fresh();
	e.ph[0].p_vaddr = 0xffff800010000000ULL;
	e.eh->e_entry = 0xffff800010000008ULL;
	assert_int_equal(inspect(e.buf, e.size, RAM_BASE, RAM_SIZE), 0);
	assert_int_equal(lay.entry, 0x40000008);
	free(e.buf);
}

static void test_elf_many_segments(void **state)
{
	/* 17 one-byte PT_LOADs, each in its own page. */
	size_t size = sizeof(Elf64_Ehdr) + 17 * sizeof(Elf64_Phdr) + 17;
	unsigned char *img = calloc(1, size);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + sizeof(*eh));

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_AARCH64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = RAM_BASE;
	eh->e_phoff = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 16;
	for (unsigned int i = 0; i < 17; i++) {
		ph[i].p_type = PT_LOAD;
		ph[i].p_offset = size - 17 + i;
		ph[i].p_filesz = ph[i].p_memsz = 1;
		ph[i].p_vaddr = ph[i].p_paddr = RAM_BASE + 0x1000ULL * i;
	}
	/* The entry is RAM_BASE, inside segment 0's single file byte. */
	assert_int_equal(inspect(img, size, RAM_BASE, RAM_SIZE), 0);
	assert_int_equal(lay.nr_segments, 16);
	assert_int_equal(lay.highest, RAM_BASE + 0xf001);
	eh->e_phnum = 17;
	expect_fail(img, size, -TERN_E2BIG, "loader: ELF: more than 16 loadable segments\n");
	free(img);
}

/* ---- arm64 Image ---- */

static void put_le64(unsigned char *p, u64 v)
{
	for (unsigned int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* An Image file of @size bytes (>= 64) with the given header fields. */
static unsigned char *make_image(size_t size, u64 text_offset, u64 image_size, u64 flags)
{
	unsigned char *img = calloc(1, size);

	assert_non_null(img);
	img[0] = 0x4d; /* "MZ" + a branch, as EFI-stub kernels start */
	img[1] = 0x5a;
	put_le64(img + 8, text_offset);
	put_le64(img + 16, image_size);
	put_le64(img + 24, flags);
	memcpy(img + 56, "ARM\x64", 4);
	return img;
}

static void test_image(void **state)
{
	unsigned char *img = make_image(0x1000, 0x80000, 0x200000, 0xa);

	assert_int_equal(inspect(img, 0x1000, RAM_BASE, RAM_SIZE), 0);
	assert_string_equal(stub_printk_log(), "");
	assert_int_equal(lay.kind, IMAGE_ARM64);
	assert_int_equal(lay.nr_segments, 1);
	assert_int_equal(lay.seg[0].file_offset, 0);
	assert_int_equal(lay.seg[0].file_size, 0x1000);
	assert_int_equal(lay.seg[0].ipa, 0x40080000);
	assert_int_equal(lay.seg[0].mem_size, 0x200000);
	assert_int_equal(lay.entry, 0x40080000);
	assert_int_equal(lay.lowest, 0x40080000);
	assert_int_equal(lay.highest, 0x40280000);
	free(img);

	img = make_image(0x1000, 0, 0x200000, 0);
	assert_int_equal(inspect(img, 0x1000, RAM_BASE, RAM_SIZE), 0);
	assert_int_equal(lay.entry, 0x40000000);
	assert_int_equal(lay.highest, 0x40200000);
	/* Exactly as large as RAM, then one page too large. */
	assert_int_equal(inspect(img, 0x1000, RAM_BASE, 0x200000), 0);
	assert_int_equal(inspect(img, 0x1000, RAM_BASE, 0x1ff000), -TERN_E2BIG);
	assert_logged("loader: arm64 Image needs 0x200000 bytes at RAM offset 0x0; guest RAM is "
		      "0x1ff000 bytes\n");
	free(img);

	/* A file longer than image_size (padding): the extent covers the whole file. */
	img = make_image(0x3000, 0, 0x2000, 0);
	assert_int_equal(inspect(img, 0x3000, RAM_BASE, RAM_SIZE), 0);
	assert_int_equal(lay.seg[0].mem_size, 0x3000);
	free(img);
}

static void test_image_old(void **state)
{
	/* Pre-3.17: image_size 0, text_offset of unknown endianness, taken as 0x80000. */
	unsigned char *img = make_image(0x1000, 0x0000080000000000ULL, 0, 0);

	assert_int_equal(inspect(img, 0x1000, RAM_BASE, RAM_SIZE), 0);
	assert_logged("pre-3.17 kernel");
	assert_int_equal(lay.seg[0].ipa, 0x40080000);
	assert_int_equal(lay.entry, 0x40080000);
	assert_int_equal(lay.seg[0].file_size, 0x1000);
	assert_int_equal(lay.seg[0].mem_size, 0x1000 + LOADER_OLD_IMAGE_MARGIN);
	free(img);

	img = make_image(0x1000, 0, 0, 0);
	assert_int_equal(inspect(img, 0x1000, RAM_BASE, RAM_SIZE), 0);
	assert_int_equal(lay.seg[0].ipa, 0x40080000);
	/* 0x80000 + 0x401000 does not fit in 4 MiB. */
	assert_int_equal(inspect(img, 0x1000, RAM_BASE, 0x400000), -TERN_E2BIG);
	free(img);
}

static void test_image_bad(void **state)
{
	unsigned char *img;

	img = make_image(0x1000, 0x80000, 0x200000, 1);
	expect_fail(img, 0x1000, -TERN_EINVAL, "loader: arm64 Image is a big-endian kernel");
	free(img);

	img = make_image(0x1000, 0x80010, 0x200000, 0);
	expect_fail(img, 0x1000, -TERN_EINVAL, "text_offset 0x80010 is not 4 KiB aligned");
	free(img);

	/* text_offset + image_size wraps past 2^64. */
	img = make_image(0x1000, 0xfffffffffffff000ULL, 0x2000, 0);
	expect_fail(img, 0x1000, -TERN_E2BIG, "at RAM offset 0xfffffffffffff000");
	free(img);
	img = make_image(0x1000, 0x1000, ~0ULL, 0);
	expect_fail(img, 0x1000, -TERN_E2BIG, "needs 0xffffffffffffffff bytes");
	free(img);

	img = make_image(0x1000, 0, 0x2000, 0);
	assert_int_equal(inspect(img, 0x1000, RAM_BASE + 0x1000, RAM_SIZE), -TERN_EINVAL);
	assert_logged("guest RAM base 0x40001000 is not 2 MiB aligned");
	/* Cut before the magic: a raw binary then. */
	assert_int_equal(inspect(img, 63, RAM_BASE, RAM_SIZE), 0);
	assert_int_equal(lay.kind, IMAGE_RAW);
	free(img);
}

/* ---- raw ---- */

static void test_raw(void **state)
{
	static const unsigned char code[] = { 0x00, 0x00, 0x00, 0x14 }; /* b . */
	static const unsigned char not_elf[] = { 0x7f, 'E', 'L' };

	assert_int_equal(inspect(code, sizeof(code), RAM_BASE, RAM_SIZE), 0);
	assert_int_equal(lay.kind, IMAGE_RAW);
	assert_int_equal(lay.entry, RAM_BASE);
	assert_int_equal(lay.nr_segments, 1);
	assert_int_equal(lay.seg[0].ipa, RAM_BASE);
	assert_int_equal(lay.seg[0].file_size, 4);
	assert_int_equal(lay.seg[0].mem_size, 4);
	assert_int_equal(lay.highest, RAM_BASE + 4);

	assert_int_equal(inspect(not_elf, sizeof(not_elf), RAM_BASE, RAM_SIZE), 0);
	assert_int_equal(lay.kind, IMAGE_RAW);

	/* Fills RAM exactly; one byte more does not fit. */
	assert_int_equal(loader_inspect(code, 4, RAM_BASE, 4, &lay), 0);
	stub_printk_reset();
	assert_int_equal(loader_inspect(code, 4, RAM_BASE, 3, &lay), -TERN_E2BIG);
	assert_logged("loader: raw image of 0x4 bytes does not fit in 0x3 bytes of guest RAM\n");

	expect_fail(code, 0, -TERN_EINVAL, "loader: empty image\n");
	assert_int_equal(inspect(code, 4, RAM_BASE, 0), -TERN_EINVAL);
	assert_logged("is empty or wraps");
	assert_int_equal(inspect(code, 4, ~0ULL - 0xfff, 0x2000), -TERN_EINVAL);
	assert_int_equal(loader_inspect(NULL, 4, RAM_BASE, RAM_SIZE, &lay), -TERN_EINVAL);
}

/* ---- placement ---- */

static int place(u64 initrd_size, u64 dtb_size, ipa_t ram_base, u64 ram_size, ipa_t *initrd,
		 ipa_t *dtb)
{
	stub_printk_reset();
	return loader_place(&lay, initrd_size, dtb_size, ram_base, ram_size, initrd, dtb);
}

static void set_kernel(ipa_t lowest, ipa_t highest)
{
	memset(&lay, 0, sizeof(lay));
	lay.lowest = lowest;
	lay.highest = highest;
}

static void test_place(void **state)
{
	ipa_t initrd = 1, dtb = 1;

	set_kernel(0x40080000, 0x40280000);
	assert_int_equal(place(0x123456, 0x2000, RAM_BASE, RAM_SIZE, &initrd, &dtb), 0);
	assert_string_equal(stub_printk_log(), "");
	assert_int_equal(dtb, 0x47e00000);
	assert_int_equal(initrd, 0x47cdc000);
	assert_true(initrd + 0x123456 <= dtb);

	assert_int_equal(place(0, SZ_2M, RAM_BASE, RAM_SIZE, &initrd, &dtb), 0);
	assert_int_equal(initrd, 0);
	assert_int_equal(dtb, 0x47e00000);

	/* RAM not a multiple of 2 MiB: the DTB takes the last whole block. */
	assert_int_equal(place(0x1000, 0x1000, RAM_BASE, 0x7f0000, &initrd, &dtb), 0);
	assert_int_equal(dtb, 0x40400000);
	assert_int_equal(initrd, 0x403ff000);

	/* An initrd right up against the kernel's end still fits. */
	assert_int_equal(place(0x400000 - 0x280000, 0x1000, RAM_BASE, 0x600000, &initrd, &dtb), 0);
	assert_int_equal(initrd, 0x40280000);
	assert_int_equal(dtb, 0x40400000);
}

static void test_place_collisions(void **state)
{
	ipa_t initrd = 0x1234, dtb = 0x5678;

	/* The kernel fills RAM: no room for the DTB. */
	set_kernel(RAM_BASE, RAM_BASE + RAM_SIZE);
	assert_int_equal(place(0, 0x1000, RAM_BASE, RAM_SIZE, &initrd, &dtb), -TERN_E2BIG);
	assert_logged("loader: kernel at 0x40000000-0x47ffffff leaves no room for the DTB at "
		      "0x47e00000-0x47ffffff\n");
	assert_int_equal(initrd, 0x1234);
	assert_int_equal(dtb, 0x5678);

	/* Room for the DTB, not for the initrd as well. */
	set_kernel(0x40080000, 0x40280000);
	assert_int_equal(place(0x400000 - 0x280000 + 1, 0x1000, RAM_BASE, 0x600000, &initrd, &dtb),
			 -TERN_E2BIG);
	assert_logged("leaves no room for the initrd and DTB at 0x4027f000-0x405fffff");
	assert_int_equal(place(0x400001, 0x1000, RAM_BASE, 0x600000, &initrd, &dtb), -TERN_E2BIG);
	assert_logged("loader: initrd of 0x400001 bytes does not fit below the DTB at 0x40400000");
	assert_int_equal(place(~0ULL, 0x1000, RAM_BASE, RAM_SIZE, &initrd, &dtb), -TERN_E2BIG);

	/* DTB limits. */
	assert_int_equal(place(0, SZ_2M + 1, RAM_BASE, RAM_SIZE, &initrd, &dtb), -TERN_E2BIG);
	assert_logged("loader: DTB of 0x200001 bytes is larger than 2 MiB\n");
	assert_int_equal(place(0, 0, RAM_BASE, RAM_SIZE, &initrd, &dtb), -TERN_EINVAL);
	set_kernel(RAM_BASE, RAM_BASE + 4);
	assert_int_equal(place(0, 0x1000, RAM_BASE, SZ_2M - 1, &initrd, &dtb), -TERN_E2BIG);
	assert_logged("has no whole 2 MiB block for the DTB");
	/* 2.5 MiB at a base 1 MiB off alignment holds no whole aligned 2 MiB block. */
	assert_int_equal(place(0, 0x1000, RAM_BASE + 0x100000, 0x280000, &initrd, &dtb),
			 -TERN_E2BIG);
	/* A small kernel at the base of 2 MiB of RAM: the DTB block would cover it. */
	assert_int_equal(place(0, 0x1000, RAM_BASE, SZ_2M, &initrd, &dtb), -TERN_E2BIG);
	assert_int_equal(place(0, 0x1000, RAM_BASE, 0, &initrd, &dtb), -TERN_EINVAL);
	assert_int_equal(loader_place(NULL, 0, 0x1000, RAM_BASE, RAM_SIZE, &initrd, &dtb),
			 -TERN_EINVAL);
}

/* The real ELF end to end: inspect then place. */
static void test_elf_then_place(void **state)
{
	size_t size;
	void *elf = load_file("two-segments.elf", &size);
	ipa_t initrd, dtb;

	assert_int_equal(inspect(elf, size, RAM_BASE, 0x1000000), 0);
	assert_int_equal(place(0x800000, 0x10000, RAM_BASE, 0x1000000, &initrd, &dtb), 0);
	assert_int_equal(dtb, 0x40e00000);
	assert_int_equal(initrd, 0x40600000);
	assert_int_equal(place(0xd80000, 0x10000, RAM_BASE, 0x1000000, &initrd, &dtb), -TERN_E2BIG);
	free(elf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf_two_segments),
		cmocka_unit_test(test_elf_low),
		cmocka_unit_test(test_elf_bad_header),
		cmocka_unit_test(test_elf_bad_segments),
		cmocka_unit_test(test_elf_entry),
		cmocka_unit_test(test_elf_many_segments),
		cmocka_unit_test(test_image),
		cmocka_unit_test(test_image_old),
		cmocka_unit_test(test_image_bad),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_place),
		cmocka_unit_test(test_place_collisions),
		cmocka_unit_test(test_elf_then_place),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
