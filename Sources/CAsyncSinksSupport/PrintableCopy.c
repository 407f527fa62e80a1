#include "CAsyncSinksSupport.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define ASYNCSINKS_HAS_AVX2_PATH 1
#endif

/// Sets high bits in the result for every byte of `word` outside 0x20...0x7E: adding 0x60 sets a
/// byte's high bit exactly when it is at least 0x20, adding 0x01 exactly when it is 0x7F; a byte of
/// 0x80 or more shows on its own high bit.
static inline uint64_t unprintable_bits(uint64_t word) {
    return (word | ~(word + 0x6060606060606060ull) | (word + 0x0101010101010101ull)) & 0x8080808080808080ull;
}

#if defined(__SSE2__)
/// Copies sixteen bytes unless one is outside 0x20...0x7E (signed, bytes of 0x80 and more are
/// negative, so below 0x20 as well).
static inline bool copy_printable_16(uint8_t *destination, const uint8_t *source) {
    __m128i chunk = _mm_loadu_si128((const __m128i *)source);
    __m128i bad = _mm_or_si128(_mm_cmplt_epi8(chunk, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(chunk, _mm_set1_epi8(0x7F)));
    if (_mm_movemask_epi8(bad) != 0) return false;
    _mm_storeu_si128((__m128i *)destination, chunk);
    return true;
}
#endif

#if defined(ASYNCSINKS_HAS_AVX2_PATH)
/// Whether a chunk of 32 bytes holds a byte outside 0x20...0x7E.
__attribute__((target("avx2")))
static inline __m256i unprintable_32(__m256i chunk) {
    return _mm256_or_si256(_mm256_cmpgt_epi8(_mm256_set1_epi8(0x20), chunk), _mm256_cmpeq_epi8(chunk, _mm256_set1_epi8(0x7F)));
}

/// The AVX2 form of the copy, for `count` of at least 32: 64 bytes per step, checked together.
__attribute__((target("avx2")))
static bool copy_printable_avx2(uint8_t *destination, const uint8_t *source, size_t count) {
    size_t offset = 0;
    for (; offset + 64 <= count; offset += 64) {
        __m256i first = _mm256_loadu_si256((const __m256i *)(source + offset));
        __m256i second = _mm256_loadu_si256((const __m256i *)(source + offset + 32));
        if (_mm256_movemask_epi8(_mm256_or_si256(unprintable_32(first), unprintable_32(second))) != 0) return false;
        _mm256_storeu_si256((__m256i *)(destination + offset), first);
        _mm256_storeu_si256((__m256i *)(destination + offset + 32), second);
    }
    if (offset == count) return true;
    if (offset + 32 < count) {
        __m256i chunk = _mm256_loadu_si256((const __m256i *)(source + offset));
        if (_mm256_movemask_epi8(unprintable_32(chunk)) != 0) return false;
        _mm256_storeu_si256((__m256i *)(destination + offset), chunk);
    }
    // The last 32 bytes, overlapping what was copied instead of running past the end.
    __m256i last = _mm256_loadu_si256((const __m256i *)(source + count - 32));
    if (_mm256_movemask_epi8(unprintable_32(last)) != 0) return false;
    _mm256_storeu_si256((__m256i *)(destination + count - 32), last);
    return true;
}
#endif

bool asyncsinks_copy_printable_ascii(uint8_t *destination, const uint8_t *source, size_t count) {
#if defined(ASYNCSINKS_HAS_AVX2_PATH)
    if (count >= 32 && __builtin_cpu_supports("avx2")) return copy_printable_avx2(destination, source, count);
#endif
    size_t offset = 0;
#if defined(__SSE2__)
    if (count >= 16) {
        for (; offset + 16 < count; offset += 16) {
            if (!copy_printable_16(destination + offset, source + offset)) return false;
        }
        // The last sixteen bytes, overlapping the chunk before instead of running past the end.
        return copy_printable_16(destination + count - 16, source + count - 16);
    }
#endif
    for (; offset + 8 <= count; offset += 8) {
        uint64_t word;
        memcpy(&word, source + offset, 8);
        if (unprintable_bits(word) != 0) return false;
        memcpy(destination + offset, &word, 8);
    }
    for (; offset < count; offset++) {
        uint8_t byte = source[offset];
        if (byte < 0x20 || byte > 0x7E) return false;
        destination[offset] = byte;
    }
    return true;
}

/// Copies lines one after another while they are printable and fit, each with `copy`; inlined into
/// each caller, so that the copy is inlined too.
static inline __attribute__((always_inline)) size_t copy_printable_lines(
    uint8_t *buffer, size_t *written, size_t capacity, const uint8_t *const *sources, const size_t *lengths,
    size_t count, intptr_t *line_ends, bool (*copy)(uint8_t *, const uint8_t *, size_t)) {
    size_t offset = *written;
    size_t line = 0;
    for (; line < count; line++) {
        size_t length = lengths[line];
        if (length >= capacity - offset || !copy(buffer + offset, sources[line], length)) break;
        offset += length;
        buffer[offset++] = '\n';
        line_ends[line] = (intptr_t)offset;
    }
    *written = offset;
    return line;
}

#if defined(ASYNCSINKS_HAS_AVX2_PATH)
/// The AVX2 copy for lines of 32 bytes and more, the general one for shorter lines.
__attribute__((target("avx2")))
static inline bool copy_printable_any_avx2(uint8_t *destination, const uint8_t *source, size_t count) {
    return count >= 32 ? copy_printable_avx2(destination, source, count) : asyncsinks_copy_printable_ascii(destination, source, count);
}

/// The line loop with the AVX2 copy inlined.
__attribute__((target("avx2")))
static size_t copy_printable_lines_avx2(uint8_t *buffer, size_t *written, size_t capacity, const uint8_t *const *sources,
                                        const size_t *lengths, size_t count, intptr_t *line_ends) {
    return copy_printable_lines(buffer, written, capacity, sources, lengths, count, line_ends, copy_printable_any_avx2);
}
#endif

size_t asyncsinks_copy_printable_lines(uint8_t *buffer, size_t *written, size_t capacity, const uint8_t *const *sources,
                                       const size_t *lengths, size_t count, intptr_t *line_ends) {
#if defined(ASYNCSINKS_HAS_AVX2_PATH)
    if (__builtin_cpu_supports("avx2")) return copy_printable_lines_avx2(buffer, written, capacity, sources, lengths, count, line_ends);
#endif
    return copy_printable_lines(buffer, written, capacity, sources, lengths, count, line_ends, asyncsinks_copy_printable_ascii);
}
