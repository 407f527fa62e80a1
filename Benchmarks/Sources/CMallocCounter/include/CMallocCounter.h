#ifndef ASYNCSINKS_MALLOC_COUNTER_H
#define ASYNCSINKS_MALLOC_COUNTER_H

#include <stdint.h>

/// Allocations (malloc, calloc, realloc, aligned allocations) made by the calling thread so far.
uint64_t malloc_counter_thread_allocations(void);

#endif
