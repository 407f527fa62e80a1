import Synchronization

/// The flags every logging call reads, on cache lines of their own.
///
/// They change only when the pipeline's state changes (a blocking sink fills up or drains, the
/// intake tick parks or wakes), so logging threads keep them in their caches; padding keeps the
/// lines that workers write constantly away from them.
final class HotFlags: Sendable {
    private let leadingPadding: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// One bit per blocking sink whose queue is full.
    let blockedSinks = Atomic<UInt64>(0)
    /// Whether the intake tick is armed; a logging thread arms it when it finds it parked.
    let intakeArmed = Atomic<Bool>(false)
    private let trailingPadding: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0, 0, 0)

    init() {}
}
