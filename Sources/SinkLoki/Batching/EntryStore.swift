import AsyncSinks

/// The entries of one write, prepared for encoding: lines and metadata in shared byte arenas,
/// per-entry offsets and encoded sizes in flat arrays.
///
/// The store is reused for every write, so once its arrays and arenas have grown to the size of a
/// typical batch, preparing entries allocates nothing.
final class EntryStore {
    /// One prepared entry.
    struct Entry {
        /// The record's index in the batch.
        var recordIndex: Int
        /// The stream's id.
        var stream: Int
        /// Nanoseconds since the epoch.
        var timestamp: Int64
        /// Where the line starts in ``lines``.
        var lineStart: Int
        /// The line's length in bytes.
        var lineLength: Int
        /// The first metadata pair in ``metadata``.
        var metadataStart: Int
        /// The number of metadata pairs.
        var metadataCount: Int
        /// The encoded size: the protobuf `EntryAdapter` body, or the JSON value array.
        var encodedSize: Int
    }

    /// One structured-metadata pair: a name and a value in ``metadataText``.
    struct MetadataPair {
        var nameStart: Int
        var nameLength: Int
        var valueStart: Int
        var valueLength: Int
    }

    /// The arrays, kept behind a pointer: appending to them for every entry needs no dynamic
    /// exclusivity checks (which a class's stored `var` would cost on each access).
    private struct Arrays {
        var entries: [Entry] = []
        var metadata: [MetadataPair] = []
    }

    private let arrays: UnsafeMutablePointer<Arrays>

    /// The prepared entries, in batch order.
    var entries: [Entry] { arrays.pointee.entries }
    /// The metadata pairs of all entries.
    var metadata: [MetadataPair] { arrays.pointee.metadata }
    /// The number of metadata pairs of all entries.
    var metadataCount: Int { arrays.pointee.metadata.count }
    /// The lines, back to back.
    let lines = LineBuffer(capacity: 1 << 16)
    /// Metadata names and values, back to back.
    let metadataText = LineBuffer(capacity: 1 << 12)
    /// Scratch space for lines written by a custom formatter.
    let formatterScratch = LineBuffer(capacity: 4096)

    init() {
        arrays = UnsafeMutablePointer<Arrays>.allocate(capacity: 1)
        arrays.initialize(to: Arrays())
    }

    deinit {
        arrays.deinitialize(count: 1)
        arrays.deallocate()
    }

    /// Appends a prepared entry.
    func append(_ entry: Entry) {
        arrays.pointee.entries.append(entry)
    }

    /// Appends a metadata pair.
    func append(_ pair: MetadataPair) {
        arrays.pointee.metadata.append(pair)
    }

    /// Removes the metadata pairs from `start` on.
    func removeMetadata(from start: Int) {
        let count = arrays.pointee.metadata.count
        if start >= 0, start < count { arrays.pointee.metadata.removeLast(count - start) }
    }

    /// Calls `body` with the metadata pairs in `range`, read in place.
    @inline(__always)
    func withMetadata<Result>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<MetadataPair>) -> Result) -> Result {
        arrays.pointee.metadata.withUnsafeBufferPointer { pairs in
            let lower = min(max(0, range.lowerBound), pairs.count)
            let upper = min(max(lower, range.upperBound), pairs.count)
            return body(UnsafeBufferPointer(rebasing: pairs[lower..<upper]))
        }
    }

    /// Forgets all entries and keeps the capacity.
    func removeAll() {
        arrays.pointee.entries.removeAll(keepingCapacity: true)
        arrays.pointee.metadata.removeAll(keepingCapacity: true)
        lines.removeAll()
        metadataText.removeAll()
    }
}
