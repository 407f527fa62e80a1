#include "CAsyncSinksSupport.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Sets high bits in the result for every byte of `word` outside 0x20...0x7E: adding 0x60 sets a
/// byte's high bit exactly when it is at least 0x20, adding 0x01 exactly when it is 0x7F; a byte of
/// 0x80 or more shows on its own high bit.
static inline uint64_t unprintable_bits(uint64_t word) {
    return (word | ~(word + 0x6060606060606060ull) | (word + 0x0101010101010101ull)) & 0x8080808080808080ull;
}

bool asyncsinks_copy_printable_ascii(uint8_t *destination, const uint8_t *source, size_t count) {
    size_t offset = 0;
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i delete = _mm_set1_epi8(0x7F);
    for (; offset + 16 <= count; offset += 16) {
        __m128i chunk = _mm_loadu_si128((const __m128i *)(source + offset));
        // Signed: bytes of 0x80 and more are negative, so below 0x20 as well.
        __m128i bad = _mm_or_si128(_mm_cmplt_epi8(chunk, space), _mm_cmpeq_epi8(chunk, delete));
        if (_mm_movemask_epi8(bad) != 0) return false;
        _mm_storeu_si128((__m128i *)(destination + offset), chunk);
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
