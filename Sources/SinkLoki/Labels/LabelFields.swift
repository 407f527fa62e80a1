/// Which fields of a record are labels of its stream, by each field's position in the flattened
/// walk of the record's fields (``FieldWalker``), as the ``StreamRegistry`` found when it resolved
/// the record.
///
/// Lets the line writer leave the labels out without comparing each key with the promoted keys
/// again. A view of the registry's scratch memory: valid until the registry resolves another record.
struct LabelFields {
    /// The promoted position (index in ``LabelSchema/promoted``) of each field, or -1.
    let positions: UnsafePointer<Int32>
    /// The number of fields with a known position; fields beyond it are not labels.
    let count: Int
    /// Whether each promoted position is a label of the stream.
    let labelPositions: UnsafePointer<Bool>

    /// Whether the field at `ordinal` in the flattened walk is a label of the stream.
    @inline(__always)
    func isLabel(_ ordinal: Int) -> Bool {
        guard ordinal < count else { return false }
        let position = positions[ordinal]
        return position >= 0 && labelPositions[Int(position)]
    }
}
