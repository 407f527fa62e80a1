// Counts the calling thread's heap allocations by interposing the allocation functions of the C
// library: this executable's definitions take precedence over glibc's, and forward to glibc's own
// implementations (__libc_malloc and friends).
#include "CMallocCounter.h"
#include <stddef.h>
#include <errno.h>
#include <execinfo.h>
#include <stdio.h>
#include <unistd.h>

#if defined(__linux__)
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static __thread uint64_t thread_allocations = 0;
static __thread int thread_trace_remaining = 0;
static __thread int thread_tracing = 0;

// Prints the calling stack of an allocation while tracing is on (a diagnostic for finding what
// allocates on a hot path).
static void trace_allocation(size_t size) {
    if (thread_trace_remaining <= 0 || thread_tracing) return;
    thread_tracing = 1;
    thread_trace_remaining--;
    void *frames[24];
    int count = backtrace(frames, 24);
    char header[64];
    int length = snprintf(header, sizeof header, "-- allocation of %zu bytes\n", size);
    if (length > 0) (void)write(2, header, (size_t)length);
    backtrace_symbols_fd(frames, count, 2);
    thread_tracing = 0;
}

void malloc_counter_trace_next(int allocations) { thread_trace_remaining = allocations; }

void *malloc(size_t size) {
    thread_allocations++;
    trace_allocation(size);
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    thread_allocations++;
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    thread_allocations++;
    trace_allocation(size);
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    thread_allocations++;
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    thread_allocations++;
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    thread_allocations++;
    trace_allocation(size);
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *result = pointer;
    return 0;
}

uint64_t malloc_counter_thread_allocations(void) { return thread_allocations; }
#else
uint64_t malloc_counter_thread_allocations(void) { return 0; }
void malloc_counter_trace_next(int allocations) { (void)allocations; }
#endif
