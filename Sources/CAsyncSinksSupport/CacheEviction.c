#include "CAsyncSinksSupport.h"

#include <stdint.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

__attribute__((target("clflushopt")))
static void evict_clflushopt(const char *first, const char *end) {
    for (const char *line = first; line < end; line += 64) _mm_clflushopt((void *)line);
}

static void evict_clflush(const char *first, const char *end) {
    for (const char *line = first; line < end; line += 64) _mm_clflush(line);
}

void asyncsinks_evict_from_caches(const void *start, size_t length) {
    if (length == 0) return;
    const char *first = (const char *)((uintptr_t)start & ~(uintptr_t)63);
    const char *end = (const char *)start + length;
    if (__builtin_cpu_supports("clflushopt")) {
        evict_clflushopt(first, end);
    } else {
        evict_clflush(first, end);
    }
}
#else
void asyncsinks_evict_from_caches(const void *start, size_t length) {
    (void)start;
    (void)length;
}
#endif
