/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_ERRNO_H
#define TERN_ERRNO_H

/* Negative values of these are returned by Tern functions; Linux's numbering eases reading logs. */
#define TERN_EPERM   1
#define TERN_ENOENT  2
#define TERN_EIO     5
#define TERN_E2BIG   7
#define TERN_ENOMEM  12
#define TERN_EFAULT  14
#define TERN_EBUSY   16
#define TERN_EEXIST  17
#define TERN_ENODEV  19
#define TERN_EINVAL  22
#define TERN_ENOSPC  28
#define TERN_ERANGE  34
#define TERN_ENOSYS  38
#define TERN_ENOTSUP 95

const char *tern_strerror(int err);

#endif
