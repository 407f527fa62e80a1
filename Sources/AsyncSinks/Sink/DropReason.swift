/// Why a record was dropped, as counted in ``SinkStats/dropped`` and reported by the dropped hook.
///
/// The pipeline's own reasons are static members; sinks define their own with ``init(_:)``, such as
/// a line over a size limit. The ``name`` is a stable snake_case identifier suitable as a metric
/// dimension.
public struct DropReason: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The stable identifier, for example `queue_full`.
    public let name: String

    /// Creates a reason. Use a short snake_case name.
    ///
    /// - Parameter name: The stable identifier.
    public init(_ name: String) {
        self.name = name
    }

    /// The sink's queue was full and its policy drops the newest record.
    public static let queueFull = DropReason("queue_full")
    /// The sink's queue was full and its policy evicted the oldest queued record to make room.
    public static let evicted = DropReason("evicted")
    /// The sink's queue stayed full for longer than its blocking timeout.
    public static let timeout = DropReason("timeout")
    /// The record was logged after the pipeline stopped taking records.
    public static let closed = DropReason("closed")
    /// The record was still undelivered when the close deadline passed.
    public static let shutdown = DropReason("shutdown")
    /// The record alone is larger than the sink's queue byte capacity.
    public static let tooLarge = DropReason("too_large")

    public var description: String { name }

    public static func < (lhs: DropReason, rhs: DropReason) -> Bool { lhs.name < rhs.name }
}
