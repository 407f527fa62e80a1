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

    /// The prepared entries, in batch order.
    var entries: [Entry] = []
    /// The lines, back to back.
    let lines = LineBuffer(capacity: 1 << 16)
    /// Metadata names and values, back to back.
    let metadataText = LineBuffer(capacity: 1 << 12)
    /// The metadata pairs of all entries.
    var metadata: [MetadataPair] = []
    /// Scratch space for lines written by a custom formatter.
    let formatterScratch = LineBuffer(capacity: 4096)

    /// Forgets all entries and keeps the capacity.
    func removeAll() {
        entries.removeAll(keepingCapacity: true)
        metadata.removeAll(keepingCapacity: true)
        lines.removeAll()
        metadataText.removeAll()
    }
}
