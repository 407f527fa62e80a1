/// A Snappy block-format decompressor, independent of the sink's compressor, for checking bodies.
enum SnappyDecoder {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Decompresses one block.
    static func decompress(_ input: [UInt8]) throws -> [UInt8] {
        var position = 0
        var length = 0
        var shift = 0
        while true {
            guard position < input.count, shift < 35 else { throw Failure(description: "bad length preamble") }
            let byte = input[position]
            position += 1
            length |= Int(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        var output: [UInt8] = []
        output.reserveCapacity(length)
        while position < input.count {
            let tag = input[position]
            position += 1
            switch tag & 3 {
            case 0:
                var literal = Int(tag >> 2)
                if literal >= 60 {
                    let extra = literal - 59
                    guard position + extra <= input.count else { throw Failure(description: "truncated literal length") }
                    literal = 0
                    for index in 0..<extra { literal |= Int(input[position + index]) << (8 * index) }
                    position += extra
                }
                literal += 1
                guard position + literal <= input.count else { throw Failure(description: "truncated literal") }
                output += input[position..<(position + literal)]
                position += literal
            case 1:
                guard position < input.count else { throw Failure(description: "truncated copy1") }
                let copyLength = Int((tag >> 2) & 7) + 4
                let offset = Int(tag >> 5) << 8 | Int(input[position])
                position += 1
                try copy(offset: offset, length: copyLength, into: &output)
            case 2:
                guard position + 2 <= input.count else { throw Failure(description: "truncated copy2") }
                let copyLength = Int(tag >> 2) + 1
                let offset = Int(input[position]) | Int(input[position + 1]) << 8
                position += 2
                try copy(offset: offset, length: copyLength, into: &output)
            default:
                guard position + 4 <= input.count else { throw Failure(description: "truncated copy4") }
                let copyLength = Int(tag >> 2) + 1
                var offset = 0
                for index in 0..<4 { offset |= Int(input[position + index]) << (8 * index) }
                position += 4
                try copy(offset: offset, length: copyLength, into: &output)
            }
        }
        guard output.count == length else {
            throw Failure(description: "decoded \(output.count) bytes, preamble says \(length)")
        }
        return output
    }

    private static func copy(offset: Int, length: Int, into output: inout [UInt8]) throws {
        guard offset > 0, offset <= output.count else { throw Failure(description: "copy offset \(offset) out of range") }
        let start = output.count - offset
        for index in 0..<length { output.append(output[start + index]) }
    }

    /// The number of copy elements in a block (to check that the compressor really compresses).
    static func copyCount(_ input: [UInt8]) -> Int {
        var position = 0
        while position < input.count, input[position] >= 0x80 { position += 1 }
        position += 1
        var copies = 0
        while position < input.count {
            let tag = input[position]
            position += 1
            switch tag & 3 {
            case 0:
                var literal = Int(tag >> 2)
                if literal >= 60 {
                    let extra = literal - 59
                    literal = 0
                    for index in 0..<extra { literal |= Int(input[position + index]) << (8 * index) }
                    position += extra
                }
                position += literal + 1
            case 1: copies += 1; position += 1
            case 2: copies += 1; position += 2
            default: copies += 1; position += 4
            }
        }
        return copies
    }
}
