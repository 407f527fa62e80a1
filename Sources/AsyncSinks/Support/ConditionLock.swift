#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex with condition variables for threads that must sleep until something changes.
///
/// `Synchronization.Mutex` has no condition variables; the pipeline's workers, flush and close
/// need to wait for state changes with a deadline, so this wraps `pthread_mutex_t` and
/// `pthread_cond_t`. Timed waits use the monotonic clock where the platform allows it.
final class ConditionLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func lock() {
        pthread_mutex_lock(mutex)
    }

    func unlock() {
        pthread_mutex_unlock(mutex)
    }

    func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// A condition variable bound to this lock.
    final class Condition: @unchecked Sendable {
        private let cond: UnsafeMutablePointer<pthread_cond_t>
        private let owner: ConditionLock

        init(_ owner: ConditionLock) {
            self.owner = owner
            cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
            cond.initialize(to: pthread_cond_t())
            #if canImport(Darwin)
            pthread_cond_init(cond, nil)
            #else
            var attributes = pthread_condattr_t()
            pthread_condattr_init(&attributes)
            pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
            pthread_cond_init(cond, &attributes)
            pthread_condattr_destroy(&attributes)
            #endif
        }

        deinit {
            pthread_cond_destroy(cond)
            cond.deallocate()
        }

        /// Waits until signalled. The lock must be held; it is held again on return.
        func wait() {
            pthread_cond_wait(cond, owner.mutex)
        }

        /// Waits until signalled or until `nanoseconds` of real time passed. The lock must be held.
        ///
        /// - Returns: `false` when the wait timed out.
        @discardableResult
        func wait(nanoseconds: Int64) -> Bool {
            if nanoseconds <= 0 { return false }
            #if canImport(Darwin)
            var relative = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
            return pthread_cond_timedwait_relative_np(cond, owner.mutex, &relative) != ETIMEDOUT
            #else
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let total = Int64(now.tv_nsec) + nanoseconds % 1_000_000_000
            var deadline = timespec()
            deadline.tv_sec = now.tv_sec + Int(nanoseconds / 1_000_000_000) + Int(total / 1_000_000_000)
            deadline.tv_nsec = Int(total % 1_000_000_000)
            return pthread_cond_timedwait(cond, owner.mutex, &deadline) != ETIMEDOUT
            #endif
        }

        /// Waits while `isPending` holds, until the real monotonic time `deadline` (nanoseconds).
        /// The lock must be held; it is held again on return.
        ///
        /// - Returns: `false` when the deadline passed with `isPending` still holding.
        func wait(untilRealTime deadline: Int64, while isPending: () -> Bool) -> Bool {
            while isPending() {
                let remaining = deadline - realMonotonicNanoseconds()
                if remaining <= 0 { return false }
                wait(nanoseconds: remaining)
            }
            return true
        }

        func signal() {
            pthread_cond_signal(cond)
        }

        func broadcast() {
            pthread_cond_broadcast(cond)
        }
    }
}

/// Real monotonic time in nanoseconds, for deadlines of flush, close and blocking waits.
func realMonotonicNanoseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec)
}
