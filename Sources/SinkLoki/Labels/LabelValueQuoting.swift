/// Writes label values as Go-style double-quoted strings, the syntax of Loki's stream selectors.
///
/// The backslash, the double quote and control characters are escaped (`\\`, `\"`, `\n`, `\r`, `\t`,
/// and `\xHH` for the others, including DEL); everything else, including non-ASCII UTF-8, is written
/// as it is. A value that is not quoted this way makes Loki reject the whole push.
enum LabelValueQuoting {
    /// Appends `"value"` with Go escapes to `bytes`.
    ///
    /// - Parameters:
    ///   - value: The label value.
    ///   - bytes: The array to append to.
    static func appendQuoted(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(0x22)
        for byte in value.utf8 {
            switch byte {
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x22: bytes.append(0x5C); bytes.append(0x22)
            case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20, 0x7F:
                bytes.append(0x5C)
                bytes.append(UInt8(ascii: "x"))
                bytes.append(hexDigit(byte >> 4))
                bytes.append(hexDigit(byte & 0x0F))
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }

    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
    }
}
