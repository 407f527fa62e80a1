import AsyncSinks

/// Turns any field key into a valid Loki label name.
///
/// Loki accepts label names matching `[a-zA-Z_][a-zA-Z0-9_]*` of at most 1024 bytes and reserves the
/// `__` prefix. The sanitiser replaces every other byte with `_` (a multi-byte character becomes one
/// `_` per byte), prefixes a name starting with a digit with `_`, strips the leading underscores of a
/// reserved `__` prefix down to one, and maps the empty name to `_`. The same rules apply to the
/// names of structured metadata.
enum LabelNameSanitizer {
    /// The longest label name Loki accepts, in bytes.
    static let maxNameBytes = 1024

    /// Whether `byte` may appear in a label name (not as the first byte when it is a digit).
    @inline(__always)
    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
    }

    /// The sanitised form of `name`.
    ///
    /// - Parameter name: A field key or configured label name.
    /// - Returns: A valid Loki label name.
    static func sanitize(_ name: String) -> String {
        let buffer = LineBuffer(capacity: name.utf8.count + 2)
        appendSanitized(name, to: buffer)
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    /// Appends the sanitised form of `name` to `buffer` without allocating.
    ///
    /// - Parameters:
    ///   - name: The name to sanitise.
    ///   - buffer: The buffer to append to.
    static func appendSanitized(_ name: String, to buffer: LineBuffer) {
        var name = name
        name.withUTF8 { bytes in
            var start = 0
            var underscores = 0
            while underscores < bytes.count, bytes[underscores] == 0x5F || !isNameByte(bytes[underscores]) {
                underscores += 1
            }
            if underscores >= 2 { start = underscores - 1 }
            if start >= bytes.count {
                buffer.append(0x5F)
                return
            }
            if bytes[start] >= 0x30, bytes[start] <= 0x39 { buffer.append(0x5F) }
            let end = min(bytes.count, start + maxNameBytes - 1)
            buffer.reserve(end - start)
            for index in start..<end {
                let byte = bytes[index]
                buffer.append(isNameByte(byte) ? byte : 0x5F)
            }
        }
    }
}
