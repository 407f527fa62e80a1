import AsyncSinks

/// The promoted fields of one record, collected while its line is written, for
/// ``StreamRegistry/resolveScanned(_:level:logger:)``.
///
/// Holds each label value (by its position in ``LabelSchema/promoted``) and its hash in the
/// registry's scratch memory. A record is simple when each promoted key appears at most once, with
/// a value that can be a label; only a simple record is resolved from its scan.
///
/// The values are borrowed from the record: their bits are copied without retaining what they
/// reference, and they are never destroyed, so collecting and comparing them costs no reference
/// counting. They are valid only while the record is alive and unchanged, which holds for the one
/// walk and resolution they serve; ``ownedValue(at:)`` makes a real copy for a stream to keep.
struct PromotedScan {
    /// The borrowed label value at each promoted position; meaningful only where ``hasValue(at:)``.
    private let values: UnsafeMutablePointer<LogValue>
    /// Whether each promoted position has a value.
    private let presence: UnsafeMutablePointer<Bool>
    /// The hash (``StreamRegistry/hash(of:)``) of each value that is present.
    let hashes: UnsafeMutablePointer<UInt64>
    /// The number of values present.
    private(set) var present = 0
    /// Whether no promoted key was repeated or had a value that cannot be a label.
    private(set) var isSimple = true

    /// Starts an empty scan in the given scratch memory, one element per promoted position.
    ///
    /// - Parameters:
    ///   - values: Allocated, never initialised or deinitialised: it only ever holds borrowed bits.
    ///   - presence: Set to `false` for every position here.
    ///   - hashes: Written for the positions that get a value.
    ///   - count: The number of promoted positions.
    init(values: UnsafeMutablePointer<LogValue>, presence: UnsafeMutablePointer<Bool>, hashes: UnsafeMutablePointer<UInt64>, count: Int) {
        self.values = values
        self.presence = presence
        self.hashes = hashes
        presence.update(repeating: false, count: count)
    }

    /// Takes the value of the promoted field at `position`.
    @inline(__always)
    mutating func offer(_ position: Int, _ value: LogValue) {
        guard isSimple else { return }
        guard !presence[position], StreamRegistry.isPromotable(value) else {
            isSimple = false
            return
        }
        withUnsafePointer(to: value) { source in
            UnsafeMutableRawPointer(values + position).copyMemory(from: source, byteCount: MemoryLayout<LogValue>.size)
        }
        presence[position] = true
        hashes[position] = StreamRegistry.hash(of: value)
        present += 1
    }

    /// Whether the promoted field at `position` has a value.
    @inline(__always)
    func hasValue(at position: Int) -> Bool {
        presence[position]
    }

    /// Whether the value at `position` equals `other` (`nil` when the position has no value).
    @inline(__always)
    func value(at position: Int, equals other: LogValue?) -> Bool {
        guard presence[position] else { return other == nil }
        // Moved out and back in: the borrowed bits are read as they are, with no copy to retain.
        // (The core's `withBitwiseCopy` does the same through a temporary allocation, which here
        // cost 6% more instructions for the whole encoding.)
        let slot = values + position
        let value = slot.move()
        defer { slot.initialize(to: value) }
        return StreamRegistry.equals(value, other)
    }

    /// A copy of the value at `position` that owns what it references, for a new stream to keep.
    func ownedValue(at position: Int) -> LogValue? {
        presence[position] ? values[position] : nil
    }
}
