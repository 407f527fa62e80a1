#ifndef ASYNCSINKS_MALLOC_COUNTER_H
#define ASYNCSINKS_MALLOC_COUNTER_H

#include <stdint.h>

/// Allocations (malloc, calloc, realloc, aligned allocations) made by the calling thread so far.
uint64_t malloc_counter_thread_allocations(void);

/// Prints the stack of the calling thread's next `allocations` allocations to standard error.
void malloc_counter_trace_next(int allocations);

#endif
