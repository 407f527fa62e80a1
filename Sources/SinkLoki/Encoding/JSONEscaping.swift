/// Escapes text for JSON string literals, writing straight into byte buffers.
///
/// `"` and `\` are escaped, `\n`, `\r`, `\t`, `\b` and `\f` use their short forms and other control
/// characters become `\u00XX`; everything else, including non-ASCII UTF-8, is written as it is.
enum JSONEscaping {
    /// The number of bytes `byte` takes once escaped.
    @inline(__always)
    static func escapedWidth(_ byte: UInt8) -> Int {
        switch byte {
        case 0x22, 0x5C, 0x0A, 0x0D, 0x09, 0x08, 0x0C: 2
        case 0..<0x20: 6
        default: 1
        }
    }

    /// The length of `bytes` once escaped (without the quotes).
    static func escapedLength(_ bytes: UnsafeRawBufferPointer) -> Int {
        var length = 0
        for byte in bytes { length += escapedWidth(byte) }
        return length
    }

    /// Appends `bytes` escaped (without quotes) to `buffer`.
    static func appendEscaped(_ bytes: UnsafeRawBufferPointer, to buffer: ByteBuffer) {
        var runStart = 0
        var index = 0
        let count = bytes.count
        buffer.reserve(count)
        while index < count {
            let byte = bytes[index]
            if escapedWidth(byte) == 1 {
                index += 1
                continue
            }
            if index > runStart { buffer.append(UnsafeRawBufferPointer(rebasing: bytes[runStart..<index])) }
            appendEscapedByte(byte, to: buffer)
            index += 1
            runStart = index
        }
        if index > runStart { buffer.append(UnsafeRawBufferPointer(rebasing: bytes[runStart..<index])) }
    }

    /// Appends the escape sequence of one byte that needs escaping.
    @inline(__always)
    static func appendEscapedByte(_ byte: UInt8, to buffer: ByteBuffer) {
        buffer.append(0x5C)
        switch byte {
        case 0x22: buffer.append(0x22)
        case 0x5C: buffer.append(0x5C)
        case 0x0A: buffer.append(UInt8(ascii: "n"))
        case 0x0D: buffer.append(UInt8(ascii: "r"))
        case 0x09: buffer.append(UInt8(ascii: "t"))
        case 0x08: buffer.append(UInt8(ascii: "b"))
        case 0x0C: buffer.append(UInt8(ascii: "f"))
        default:
            buffer.append(StaticString("u00"))
            buffer.append(LabelValueQuoting.hexDigit(byte >> 4))
            buffer.append(LabelValueQuoting.hexDigit(byte & 0x0F))
        }
    }

    /// Appends `"text"` escaped to `buffer`.
    static func appendQuoted(_ text: String, to buffer: ByteBuffer) {
        buffer.append(0x22)
        var text = text
        text.withUTF8 { appendEscaped(UnsafeRawBufferPointer($0), to: buffer) }
        buffer.append(0x22)
    }
}
