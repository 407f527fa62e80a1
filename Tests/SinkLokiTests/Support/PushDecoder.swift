import CZlib
import Foundation

/// A push request decoded by the test server, whatever its encoding.
struct DecodedPush: Equatable {
    struct Entry: Equatable {
        var timestamp: Int64
        var line: String
        var metadata: [String: String]
    }

    struct Stream: Equatable {
        /// The labels, parsed from the selector text (protobuf) or the stream object (JSON).
        var labels: [String: String]
        /// The selector text as sent (protobuf only).
        var selector: String?
        var entries: [Entry]
    }

    var streams: [Stream]

    /// Every entry, in the order received.
    var entries: [Entry] { streams.flatMap(\.entries) }
}

struct DecodeFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Decodes push bodies: Snappy + protobuf, JSON, gzip + JSON.
enum PushDecoder {
    /// Decodes a request received by the test server.
    static func decode(_ request: TestLokiServer.Request) throws -> DecodedPush {
        switch request.header("content-type") {
        case "application/x-protobuf":
            return try decodeProtobuf(try SnappyDecoder.decompress(request.body))
        case "application/json":
            let body = request.header("content-encoding") == "gzip" ? try gunzip(request.body) : request.body
            return try decodeJSON(body)
        default:
            throw DecodeFailure("unexpected content type \(request.header("content-type") ?? "none")")
        }
    }

    /// The uncompressed body of a request.
    static func rawBody(_ request: TestLokiServer.Request) throws -> [UInt8] {
        if request.header("content-type") == "application/x-protobuf" { return try SnappyDecoder.decompress(request.body) }
        return request.header("content-encoding") == "gzip" ? try gunzip(request.body) : request.body
    }

    // MARK: Protobuf

    private struct Reader {
        let bytes: [UInt8]
        var position: Int
        let end: Int

        var atEnd: Bool { position >= end }

        mutating func varint() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard position < end, shift < 64 else { throw DecodeFailure("bad varint") }
                let byte = bytes[position]
                position += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }

        mutating func field() throws -> (number: Int, wireType: Int) {
            let key = try varint()
            return (Int(key >> 3), Int(key & 7))
        }

        mutating func delimited() throws -> Reader {
            let length = Int(try varint())
            guard position + length <= end else { throw DecodeFailure("length beyond end") }
            defer { position += length }
            return Reader(bytes: bytes, position: position, end: position + length)
        }

        mutating func string() throws -> String {
            let inner = try delimited()
            return String(decoding: bytes[inner.position..<inner.end], as: UTF8.self)
        }

        mutating func skip(_ wireType: Int) throws {
            switch wireType {
            case 0: _ = try varint()
            case 2: _ = try delimited()
            default: throw DecodeFailure("unexpected wire type \(wireType)")
            }
        }
    }

    static func decodeProtobuf(_ bytes: [UInt8]) throws -> DecodedPush {
        var reader = Reader(bytes: bytes, position: 0, end: bytes.count)
        var streams: [DecodedPush.Stream] = []
        while !reader.atEnd {
            let (number, wireType) = try reader.field()
            guard number == 1, wireType == 2 else { throw DecodeFailure("PushRequest: unexpected field \(number)") }
            var streamReader = try reader.delimited()
            var selector = ""
            var entries: [DecodedPush.Entry] = []
            while !streamReader.atEnd {
                let (field, type) = try streamReader.field()
                switch (field, type) {
                case (1, 2): selector = try streamReader.string()
                case (2, 2):
                    var entryReader = try streamReader.delimited()
                    var entry = DecodedPush.Entry(timestamp: 0, line: "", metadata: [:])
                    while !entryReader.atEnd {
                        let (entryField, entryType) = try entryReader.field()
                        switch (entryField, entryType) {
                        case (1, 2):
                            var timestampReader = try entryReader.delimited()
                            var seconds: Int64 = 0
                            var nanos: Int64 = 0
                            while !timestampReader.atEnd {
                                let (tsField, _) = try timestampReader.field()
                                let value = try timestampReader.varint()
                                if tsField == 1 { seconds = Int64(bitPattern: value) } else { nanos = Int64(Int32(truncatingIfNeeded: value)) }
                            }
                            entry.timestamp = seconds * 1_000_000_000 + nanos
                        case (2, 2): entry.line = try entryReader.string()
                        case (3, 2):
                            var pairReader = try entryReader.delimited()
                            var name = ""
                            var value = ""
                            while !pairReader.atEnd {
                                let (pairField, _) = try pairReader.field()
                                if pairField == 1 { name = try pairReader.string() } else { value = try pairReader.string() }
                            }
                            entry.metadata[name] = value
                        default: throw DecodeFailure("EntryAdapter: unexpected field \(entryField)")
                        }
                    }
                    entries.append(entry)
                default: throw DecodeFailure("StreamAdapter: unexpected field \(field)")
                }
            }
            streams.append(DecodedPush.Stream(labels: try parseSelector(selector), selector: selector, entries: entries))
        }
        return DecodedPush(streams: streams)
    }

    /// Parses `{a="x", b="y"}` with Go escapes, as Loki does.
    static func parseSelector(_ text: String) throws -> [String: String] {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { throw DecodeFailure("selector not in braces: \(text)") }
        var labels: [String: String] = [:]
        var position = 1
        while position < bytes.count - 1 {
            var name: [UInt8] = []
            while bytes[position] != UInt8(ascii: "=") {
                name.append(bytes[position])
                position += 1
            }
            position += 1
            guard bytes[position] == UInt8(ascii: "\"") else { throw DecodeFailure("value not quoted in \(text)") }
            position += 1
            var value: [UInt8] = []
            while bytes[position] != UInt8(ascii: "\"") {
                var byte = bytes[position]
                if byte == UInt8(ascii: "\\") {
                    position += 1
                    switch bytes[position] {
                    case UInt8(ascii: "n"): byte = 0x0A
                    case UInt8(ascii: "r"): byte = 0x0D
                    case UInt8(ascii: "t"): byte = 0x09
                    case UInt8(ascii: "x"):
                        guard let hex = UInt8(String(decoding: bytes[(position + 1)...(position + 2)], as: UTF8.self), radix: 16)
                        else { throw DecodeFailure("bad \\x escape") }
                        byte = hex
                        position += 2
                    case UInt8(ascii: "\\"), UInt8(ascii: "\""): byte = bytes[position]
                    default: throw DecodeFailure("unknown escape in \(text)")
                    }
                } else if byte < 0x20 {
                    throw DecodeFailure("raw control character in selector \(text)")
                }
                value.append(byte)
                position += 1
            }
            position += 1
            let nameText = String(decoding: name, as: UTF8.self)
            guard nameText.range(of: "^[a-zA-Z_][a-zA-Z0-9_]*$", options: .regularExpression) != nil, !nameText.hasPrefix("__") else {
                throw DecodeFailure("invalid label name \(nameText)")
            }
            labels[nameText] = String(decoding: value, as: UTF8.self)
            if position < bytes.count - 1 {
                guard bytes[position] == UInt8(ascii: ","), bytes[position + 1] == UInt8(ascii: " ") else {
                    throw DecodeFailure("expected \", \" in \(text)")
                }
                position += 2
            }
        }
        return labels
    }

    // MARK: JSON

    static func decodeJSON(_ bytes: [UInt8]) throws -> DecodedPush {
        guard let root = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let streams = root["streams"] as? [[String: Any]]
        else { throw DecodeFailure("no streams") }
        var decoded: [DecodedPush.Stream] = []
        for stream in streams {
            guard let labels = stream["stream"] as? [String: String], let values = stream["values"] as? [[Any]] else {
                throw DecodeFailure("bad stream object")
            }
            var entries: [DecodedPush.Entry] = []
            for value in values {
                guard let timestamp = value[0] as? String, let nanoseconds = Int64(timestamp), let line = value[1] as? String else {
                    throw DecodeFailure("bad value array (timestamp must be a string)")
                }
                var metadata: [String: String] = [:]
                if value.count > 2 {
                    guard let pairs = value[2] as? [String: Any] else { throw DecodeFailure("bad metadata") }
                    for (name, pairValue) in pairs {
                        guard let text = pairValue as? String else { throw DecodeFailure("metadata value not a string") }
                        metadata[name] = text
                    }
                }
                entries.append(DecodedPush.Entry(timestamp: nanoseconds, line: line, metadata: metadata))
            }
            decoded.append(DecodedPush.Stream(labels: labels, selector: nil, entries: entries))
        }
        return DecodedPush(streams: decoded)
    }

    // MARK: gzip

    static func gunzip(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DecodeFailure("inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            var result: Int32 = Z_OK
            while result == Z_OK {
                result = chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output += chunk[0..<(chunk.count - Int(stream.avail_out))]
            }
            return result
        }
        guard status == Z_STREAM_END else { throw DecodeFailure("gzip stream invalid (zlib status \(status))") }
        return output
    }
}
