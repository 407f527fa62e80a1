import AsyncSinks

/// The promoted fields of one record, collected while its line is written, for
/// ``StreamRegistry/resolveScanned(_:level:logger:)``.
///
/// Holds each label value (by its position in ``LabelSchema/promoted``) and its hash in the
/// registry's scratch memory. A record is simple when each promoted key appears at most once, with
/// a value that can be a label; only a simple record is resolved from its scan.
struct PromotedScan {
    /// The label value at each promoted position, or `nil`.
    let values: UnsafeMutablePointer<LogValue?>
    /// The hash (``StreamRegistry/hash(of:)``) of each value that is present.
    let hashes: UnsafeMutablePointer<UInt64>
    /// The number of values present.
    private(set) var present = 0
    /// Whether no promoted key was repeated or had a value that cannot be a label.
    private(set) var isSimple = true

    init(values: UnsafeMutablePointer<LogValue?>, hashes: UnsafeMutablePointer<UInt64>) {
        self.values = values
        self.hashes = hashes
    }

    /// Takes the value of the promoted field at `position`.
    @inline(__always)
    mutating func offer(_ position: Int, _ value: LogValue) {
        guard isSimple else { return }
        guard values[position] == nil, StreamRegistry.isPromotable(value) else {
            isSimple = false
            return
        }
        values[position] = value
        hashes[position] = StreamRegistry.hash(of: value)
        present += 1
    }
}
