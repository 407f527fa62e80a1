#ifndef ASYNCSINKS_SUPPORT_H
#define ASYNCSINKS_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// Per-thread state read on the logging hot path.
///
/// `slot` is the thread's intake shard plus one (0 until first assigned); `role` says whether the
/// thread is an application thread (0), a pipeline worker (1), or currently running a hook (2);
/// `worker` is a pipeline worker's number, unique in the process (0 for other threads).
typedef struct {
    uint32_t slot;
    uint32_t role;
    uint32_t worker;
} asyncsinks_thread_state;

extern __thread asyncsinks_thread_state asyncsinks_current_thread
    __attribute__((tls_model("initial-exec")));

/// The calling thread's state; one thread-local address computation for both fields.
static inline asyncsinks_thread_state *_Nonnull asyncsinks_thread(void) { return &asyncsinks_current_thread; }
static inline uint32_t asyncsinks_thread_role(void) { return asyncsinks_current_thread.role; }
static inline void asyncsinks_set_thread_role(uint32_t role) { asyncsinks_current_thread.role = role; }

/// Asks the processor to start loading the `length` bytes at `address` into its caches, one cache
/// line at a time; a hint only, which never faults.
static inline void asyncsinks_prefetch(const void *_Nonnull address, size_t length) {
    for (size_t offset = 0; offset < length; offset += 64) __builtin_prefetch((const char *)address + offset, 0, 3);
}

/// Writes the cache lines of the `length` bytes at `start` back to memory and removes them from
/// every processor's caches (`clflushopt`, or `clflush` where the processor lacks it, on x86-64; a
/// no-op elsewhere). The memory's contents do not change.
///
/// A thread that writes to memory another processor read last must first take the lines back from
/// that processor's caches, one by one; memory that is in no cache is written without asking any
/// other processor, and sequential writes to it are fetched ahead by the hardware.
void asyncsinks_evict_from_caches(const void *_Nonnull start, size_t length);

/// Asks the processor to start loading the `length` bytes at `address` into its caches, one cache
/// line at a time, ready to be written (`prefetchw` on x86-64); a hint only, which never faults.
static inline void asyncsinks_prefetch_for_writing(void *_Nonnull address, size_t length) {
    for (size_t offset = 0; offset < length; offset += 64) {
#if defined(__x86_64__)
        __asm__ volatile("prefetchw %0" : : "m"(*((char *)address + offset)));
#else
        __builtin_prefetch((char *)address + offset, 1, 3);
#endif
    }
}

/// Copies `count` bytes from `source` to `destination` when every one is printable ASCII
/// (0x20...0x7E) and returns true; otherwise returns false, having copied an unspecified prefix.
/// Sixteen bytes at a time where SSE2 is available.
bool asyncsinks_copy_printable_ascii(uint8_t *_Nonnull destination, const uint8_t *_Nonnull source, size_t count);

/// Copies lines `sources[i]` of `lengths[i]` bytes, each followed by a newline, into `buffer` from
/// `*written` on, while each is printable ASCII and fits with its newline below `capacity`; stores
/// the offset after each copied line's newline in `line_ends[i]`, advances `*written`, and returns
/// the number of lines copied.
size_t asyncsinks_copy_printable_lines(uint8_t *_Nonnull buffer, size_t *_Nonnull written, size_t capacity,
                                       const uint8_t *_Nonnull const *_Nonnull sources, const size_t *_Nonnull lengths,
                                       size_t count, intptr_t *_Nonnull line_ends);

/// A linear map from a tick counter (the CPU's time-stamp counter) to wall-clock nanoseconds,
/// anchored at one reading of both and valid for a limited number of ticks after it.
typedef struct {
    uint64_t base_ticks;
    int64_t base_nanoseconds;
    /// Nanoseconds per tick as a 32.32 fixed-point number; 0 while unknown.
    uint64_t nanoseconds_per_tick_q32;
    /// How many ticks after the anchor the map may be used; 0 while the rate is unknown.
    uint64_t max_ticks;
} asyncsinks_tick_calibration;

/// Converts `ticks` to nanoseconds since the epoch; returns false when the rate is unknown or
/// `ticks` lies before the anchor or beyond its validity.
bool asyncsinks_tick_calibration_convert(const asyncsinks_tick_calibration *_Nonnull calibration, uint64_t ticks,
                                         int64_t *_Nonnull nanoseconds);

/// Moves the anchor to a new reading of both clocks, measuring the rate from the previous anchor
/// when the two are at least 1 ms apart, and keeps the map valid for `validity` nanoseconds.
void asyncsinks_tick_calibration_anchor(asyncsinks_tick_calibration *_Nonnull calibration, uint64_t ticks,
                                        int64_t nanoseconds, int64_t validity);

/// Wall-clock nanoseconds since the epoch: `CLOCK_REALTIME`, extrapolated from the time-stamp
/// counter for up to 10 ms after each reading where the kernel itself keeps time with it (Linux on
/// x86-64 with the `tsc` clock source), which costs less than half of `clock_gettime`.
int64_t asyncsinks_wall_clock_nanoseconds(void);

/// Reserves disk blocks for `length` bytes at `offset` without changing the file's size (Linux
/// `fallocate` with `FALLOC_FL_KEEP_SIZE`), retrying on `EINTR`. Returns 0, or the `errno` value
/// (`EOPNOTSUPP` where the operating system or file system cannot do it).
int asyncsinks_reserve_file_space(int descriptor, int64_t offset, int64_t length);

/// Starts writing the file's changed pages in `length` bytes at `offset` to disk without waiting for
/// them (Linux `sync_file_range` with `SYNC_FILE_RANGE_WRITE`), retrying on `EINTR`, so that a later
/// `fsync` has less to wait for; it makes nothing durable by itself. Returns 0, or the `errno` value
/// (`EOPNOTSUPP` on other systems).
int asyncsinks_start_writeback(int descriptor, int64_t offset, int64_t length);

/// Whether reserving space ahead makes writes to the descriptor's file cheaper: true on Linux for
/// disk-backed file systems, false for memory-backed ones (tmpfs, ramfs) and on other systems.
bool asyncsinks_file_space_reservation_helps(int descriptor);

#endif
