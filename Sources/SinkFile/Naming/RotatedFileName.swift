/// A rotated file recognised by ``FileNamingScheme/parse(_:)``.
package struct RotatedFileName: Sendable, Equatable {
    /// Whether the file is plain, compressed, or a compression in progress.
    package enum State: Sendable, Equatable {
        case plain
        case compressed
        case temporary

        var suffix: String {
            switch self {
            case .plain: ""
            case .compressed: FileNamingScheme.compressedSuffix
            case .temporary: FileNamingScheme.temporarySuffix
            }
        }
    }

    /// The file's name as found.
    package var name: String
    /// The uncompressed rotated name (without `.gz` or `.gz.tmp`).
    package var baseName: String
    /// The rotation time encoded in the name, in seconds since the epoch.
    package var rotatedAtSeconds: Int64
    /// The rotation's sequence number.
    package var sequence: Int
    /// Plain, compressed or temporary.
    package var state: State
}
