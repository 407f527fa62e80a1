/// Whether the file sink reserves disk space ahead of the active file's end.
///
/// With a reservation the file system allocates the blocks of several batches at once
/// (`fallocate(2)` with `FALLOC_FL_KEEP_SIZE`), so that each batch's `write(2)` only copies: on
/// ext4 a 1 MiB write into reserved space costs about three quarters of one that allocates as it
/// goes. The file's size stays that of its lines, so readers, `tail -f` and log shippers see no
/// difference.
///
/// The reserved blocks beyond the file's end are given back (`ftruncate` to the file's size, keeping
/// its modification time) when the file is rotated, reopened or closed. Until then, tools that count
/// blocks (`du`) see up to one step more than the size; after a crash the reservation stays on the
/// active file until its next rotation or close. The sink never reserves past the rotation size
/// limit.
///
/// Memory-backed file systems (tmpfs, ramfs), where a reservation would only hold memory, file
/// systems without `fallocate`, and systems other than Linux are written without reservation. A
/// reservation that fails, for example on a full disk, is skipped: the write reports any real
/// failure itself.
public struct FilePreallocation: Sendable, Hashable, CustomStringConvertible {
    private enum Base: Sendable, Hashable {
        case none
        case steps(bytes: Int64)
    }

    private let base: Base

    /// Never reserve space: every write allocates its own blocks.
    public static let none = FilePreallocation(base: .none)

    /// Reserves space ahead of the file's end `bytes` at a time: when a write would go beyond the
    /// reserved space, the reservation is extended to the next multiple of `bytes`.
    ///
    /// - Parameter bytes: The step, at least 64 KiB (smaller values are raised to it).
    /// - Returns: The setting.
    public static func steps(of bytes: Int) -> FilePreallocation {
        FilePreallocation(base: .steps(bytes: Int64(max(bytes, 64 * 1024))))
    }

    /// Steps of 8 MiB: one reservation per eight batches of the default 1 MiB byte budget.
    public static let `default` = FilePreallocation.steps(of: 8 * 1024 * 1024)

    /// The step in bytes, or `nil` when reservation is off.
    var stepBytes: Int64? {
        if case .steps(let bytes) = base { return bytes }
        return nil
    }

    /// How far to reserve before writing `length` bytes at `offset`, or `nil` when the space up to
    /// `reservedEnd` suffices: the next multiple of the step at or after the write's end, but not
    /// beyond `limit` (the rotation size limit) unless the write itself goes beyond it.
    func reservationEnd(writing length: Int64, at offset: Int64, reservedEnd: Int64, limit: Int64?) -> Int64? {
        guard let step = stepBytes else { return nil }
        let end = offset + length
        guard end > reservedEnd else { return nil }
        var target = (end + step - 1) / step * step
        if let limit { target = min(target, max(limit, end)) }
        return target
    }

    /// A short human-readable description.
    public var description: String {
        switch base {
        case .none: "none"
        case .steps(let bytes): "steps(of: \(bytes))"
        }
    }
}
