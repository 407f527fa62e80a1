#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "CAsyncSinksSupport.h"

#include <errno.h>

#if defined(__linux__)
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/vfs.h>

int asyncsinks_reserve_file_space(int descriptor, int64_t offset, int64_t length) {
    while (fallocate(descriptor, FALLOC_FL_KEEP_SIZE, (off_t)offset, (off_t)length) != 0) {
        if (errno != EINTR) return errno;
    }
    return 0;
}

int asyncsinks_start_writeback(int descriptor, int64_t offset, int64_t length) {
    while (sync_file_range(descriptor, (off_t)offset, (off_t)length, SYNC_FILE_RANGE_WRITE) != 0) {
        if (errno != EINTR) return errno;
    }
    return 0;
}

bool asyncsinks_file_space_reservation_helps(int descriptor) {
    struct statfs info;
    if (fstatfs(descriptor, &info) != 0) return false;
    // Memory-backed file systems allocate on write anyway; reserving would only hold memory.
    return info.f_type != TMPFS_MAGIC && info.f_type != RAMFS_MAGIC;
}

#else

int asyncsinks_reserve_file_space(int descriptor, int64_t offset, int64_t length) {
    (void)descriptor, (void)offset, (void)length;
    return EOPNOTSUPP;
}

int asyncsinks_start_writeback(int descriptor, int64_t offset, int64_t length) {
    (void)descriptor, (void)offset, (void)length;
    return EOPNOTSUPP;
}

bool asyncsinks_file_space_reservation_helps(int descriptor) {
    (void)descriptor;
    return false;
}

#endif
