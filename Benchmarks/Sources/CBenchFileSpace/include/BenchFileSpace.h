#ifndef ASYNCSINKS_BENCH_FILE_SPACE_H
#define ASYNCSINKS_BENCH_FILE_SPACE_H

#include <stdint.h>

/// Reserves disk blocks for `length` bytes at `offset` without changing the file's size (Linux
/// `fallocate` with `FALLOC_FL_KEEP_SIZE`). Returns 0, or the `errno` value.
int bench_reserve_file_space(int descriptor, int64_t offset, int64_t length);

#endif
