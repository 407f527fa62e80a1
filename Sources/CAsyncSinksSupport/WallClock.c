#include "CAsyncSinksSupport.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__) && defined(__linux__)
#include <x86intrin.h>
#define ASYNCSINKS_TICK_CLOCK 1
#endif

/// Anchors closer together than this keep the previous rate: too short to measure it well.
static const int64_t minimum_rate_interval = 1000000;

bool asyncsinks_tick_calibration_convert(const asyncsinks_tick_calibration *calibration, uint64_t ticks, int64_t *nanoseconds) {
    if (calibration->nanoseconds_per_tick_q32 == 0) return false;
    uint64_t elapsed = ticks - calibration->base_ticks;
    // Also catches ticks before the anchor, which wrap around to a huge value.
    if (elapsed > calibration->max_ticks) return false;
    *nanoseconds = calibration->base_nanoseconds + (int64_t)((elapsed * calibration->nanoseconds_per_tick_q32) >> 32);
    return true;
}

void asyncsinks_tick_calibration_anchor(asyncsinks_tick_calibration *calibration, uint64_t ticks, int64_t nanoseconds, int64_t validity) {
    uint64_t elapsed_ticks = ticks - calibration->base_ticks;
    int64_t elapsed_nanoseconds = nanoseconds - calibration->base_nanoseconds;
    bool has_anchor = calibration->base_ticks != 0 || calibration->base_nanoseconds != 0;
    bool measurable = has_anchor && ticks > calibration->base_ticks && elapsed_nanoseconds >= minimum_rate_interval;
    // Until the rate is known, the first anchor stays until a second one can measure it.
    if (has_anchor && calibration->nanoseconds_per_tick_q32 == 0 && !measurable && ticks > calibration->base_ticks
        && elapsed_nanoseconds >= 0) {
        return;
    }
    if (measurable) {
        unsigned __int128 rate = ((unsigned __int128)(uint64_t)elapsed_nanoseconds << 32) / elapsed_ticks;
        // A counter slower than 1 MHz or faster than 100 GHz is not a time-stamp counter: distrust it.
        bool plausible = rate > 0 && rate <= ((unsigned __int128)1000 << 32) && rate >= (((unsigned __int128)1 << 32) / 100);
        calibration->nanoseconds_per_tick_q32 = plausible ? (uint64_t)rate : 0;
    }
    calibration->base_ticks = ticks;
    calibration->base_nanoseconds = nanoseconds;
    calibration->max_ticks = calibration->nanoseconds_per_tick_q32 == 0
        ? 0 : (uint64_t)(((unsigned __int128)(uint64_t)validity << 32) / calibration->nanoseconds_per_tick_q32);
}

static int64_t realtime_nanoseconds(void) {
    struct timespec spec;
    clock_gettime(CLOCK_REALTIME, &spec);
    return (int64_t)spec.tv_sec * 1000000000 + spec.tv_nsec;
}

#if ASYNCSINKS_TICK_CLOCK
/// How long one anchor is used before the clock is read again.
static const int64_t anchor_validity = 10000000;

/// The shared calibration behind a sequence lock: odd while being re-anchored. Every field is an
/// atomic read and written with relaxed ordering; the sequence orders them.
static struct {
    _Alignas(64) _Atomic uint64_t sequence;
    _Atomic uint64_t base_ticks;
    _Atomic int64_t base_nanoseconds;
    _Atomic uint64_t nanoseconds_per_tick_q32;
    _Atomic uint64_t max_ticks;
    /// -1 until checked, then 1 when the kernel keeps time with the TSC, 0 otherwise.
    _Atomic int tick_clock_usable;
} shared_clock = { .tick_clock_usable = -1 };

/// Whether the kernel's own clock source is the TSC: then the TSC is invariant and synchronised
/// across CPUs, and extrapolating from it agrees with `CLOCK_REALTIME`.
static bool tick_clock_usable(void) {
    int usable = atomic_load_explicit(&shared_clock.tick_clock_usable, memory_order_relaxed);
    if (usable >= 0) return usable == 1;
    char name[32] = {0};
    FILE *file = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "re");
    if (file != NULL) {
        if (fgets(name, sizeof name, file) == NULL) name[0] = 0;
        fclose(file);
    }
    usable = strcmp(name, "tsc\n") == 0 ? 1 : 0;
    atomic_store_explicit(&shared_clock.tick_clock_usable, usable, memory_order_relaxed);
    return usable == 1;
}

static asyncsinks_tick_calibration load_calibration(void) {
    asyncsinks_tick_calibration calibration = {
        .base_ticks = atomic_load_explicit(&shared_clock.base_ticks, memory_order_relaxed),
        .base_nanoseconds = atomic_load_explicit(&shared_clock.base_nanoseconds, memory_order_relaxed),
        .nanoseconds_per_tick_q32 = atomic_load_explicit(&shared_clock.nanoseconds_per_tick_q32, memory_order_relaxed),
        .max_ticks = atomic_load_explicit(&shared_clock.max_ticks, memory_order_relaxed),
    };
    return calibration;
}

/// Reads `CLOCK_REALTIME` and, unless another thread is doing it, re-anchors the calibration there.
static int64_t read_and_anchor(void) {
    uint64_t before = __rdtsc();
    int64_t nanoseconds = realtime_nanoseconds();
    uint64_t ticks = before + (__rdtsc() - before) / 2;
    uint64_t sequence = atomic_load_explicit(&shared_clock.sequence, memory_order_relaxed);
    if ((sequence & 1) == 0 && atomic_compare_exchange_strong_explicit(&shared_clock.sequence, &sequence, sequence + 1,
                                                                       memory_order_acquire, memory_order_relaxed)) {
        asyncsinks_tick_calibration calibration = load_calibration();
        asyncsinks_tick_calibration_anchor(&calibration, ticks, nanoseconds, anchor_validity);
        atomic_store_explicit(&shared_clock.base_ticks, calibration.base_ticks, memory_order_relaxed);
        atomic_store_explicit(&shared_clock.base_nanoseconds, calibration.base_nanoseconds, memory_order_relaxed);
        atomic_store_explicit(&shared_clock.nanoseconds_per_tick_q32, calibration.nanoseconds_per_tick_q32, memory_order_relaxed);
        atomic_store_explicit(&shared_clock.max_ticks, calibration.max_ticks, memory_order_relaxed);
        atomic_store_explicit(&shared_clock.sequence, sequence + 2, memory_order_release);
    }
    return nanoseconds;
}
#endif

int64_t asyncsinks_wall_clock_nanoseconds(void) {
#if ASYNCSINKS_TICK_CLOCK
    if (tick_clock_usable()) {
        uint64_t sequence = atomic_load_explicit(&shared_clock.sequence, memory_order_acquire);
        if ((sequence & 1) == 0) {
            asyncsinks_tick_calibration calibration = load_calibration();
            uint64_t ticks = __rdtsc();
            atomic_thread_fence(memory_order_acquire);
            int64_t nanoseconds;
            if (atomic_load_explicit(&shared_clock.sequence, memory_order_relaxed) == sequence
                && asyncsinks_tick_calibration_convert(&calibration, ticks, &nanoseconds)) {
                return nanoseconds;
            }
        }
        return read_and_anchor();
    }
#endif
    return realtime_nanoseconds();
}
