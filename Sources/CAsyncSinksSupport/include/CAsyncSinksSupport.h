#ifndef ASYNCSINKS_SUPPORT_H
#define ASYNCSINKS_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// Per-thread state read on the logging hot path.
///
/// `slot` is the thread's intake shard plus one (0 until first assigned); `role` says whether the
/// thread is an application thread (0), a pipeline worker (1), or currently running a hook (2).
typedef struct {
    uint32_t slot;
    uint32_t role;
} asyncsinks_thread_state;

extern __thread asyncsinks_thread_state asyncsinks_current_thread
    __attribute__((tls_model("initial-exec")));

/// The calling thread's state; one thread-local address computation for both fields.
static inline asyncsinks_thread_state *_Nonnull asyncsinks_thread(void) { return &asyncsinks_current_thread; }
static inline uint32_t asyncsinks_thread_role(void) { return asyncsinks_current_thread.role; }
static inline void asyncsinks_set_thread_role(uint32_t role) { asyncsinks_current_thread.role = role; }

/// Copies `count` bytes from `source` to `destination` when every one is printable ASCII
/// (0x20...0x7E) and returns true; otherwise returns false, having copied an unspecified prefix.
/// Sixteen bytes at a time where SSE2 is available.
bool asyncsinks_copy_printable_ascii(uint8_t *_Nonnull destination, const uint8_t *_Nonnull source, size_t count);

#endif
