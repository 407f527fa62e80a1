import AsyncSinks
import Foundation
@testable import SinkLoki
import Testing

@Suite("SnappyCompressor")
struct SnappyCompressorTests {
    static func compress(_ input: [UInt8]) -> [UInt8] {
        let output = LineBuffer()
        input.withUnsafeBytes { SnappyCompressor().compress($0, into: output) }
        return output.bytes
    }

    static func logText(lines: Int) -> [UInt8] {
        var text = ""
        for index in 0..<lines {
            text += "msg=\"request served\" method=GET path=/api/v1/users/\(index % 97) status=200 duration_ms=\(index % 13).5 user=alice\n"
        }
        return Array(text.utf8)
    }

    static func pseudoRandom(_ count: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    @Test("round-trips empty, tiny, random, repetitive and multi-fragment inputs")
    func roundTrips() throws {
        let inputs: [[UInt8]] = [
            [], [1], Array("hello".utf8), Array(repeating: 0x61, count: 100_000), Self.pseudoRandom(70_000),
            Self.logText(lines: 3000), Array(Self.logText(lines: 10).prefix(61)),
        ]
        for input in inputs {
            let compressed = Self.compress(input)
            #expect(try SnappyDecoder.decompress(compressed) == input, "input of \(input.count) bytes")
        }
    }

    @Test("really compresses log text with copies")
    func compressesLogText() {
        let input = Self.logText(lines: 2000)
        let compressed = Self.compress(input)
        #expect(SnappyDecoder.copyCount(compressed) > 1000)
        #expect(compressed.count * 3 < input.count, "ratio \(Double(input.count) / Double(compressed.count))")
    }

    @Test("writes the uncompressed length as a varint preamble")
    func preamble() {
        let compressed = Self.compress(Array(repeating: 7, count: 300))
        #expect(compressed[0] == 0xAC)
        #expect(compressed[1] == 0x02)
    }

    @Test("reference snappy library decompresses the output and matches the ratio")
    func referenceLibrary() throws {
        let python = try ReferenceTools.pythonWithSnappy()
        for input in [Self.logText(lines: 2500), Self.pseudoRandom(20_000), Array(repeating: 0x20, count: 200_000)] {
            let compressed = Self.compress(input)
            let decompressed = try ReferenceTools.run(
                python, ["-c", "import sys, snappy; sys.stdout.buffer.write(snappy.uncompress(sys.stdin.buffer.read()))"],
                input: compressed)
            #expect(decompressed.status == 0, "python snappy failed: \(decompressed.stderr)")
            #expect(decompressed.stdout == input)
            let reference = try ReferenceTools.run(
                python, ["-c", "import sys, snappy; sys.stdout.buffer.write(snappy.compress(sys.stdin.buffer.read()))"],
                input: input)
            #expect(reference.status == 0, "python snappy failed: \(reference.stderr)")
            #expect(try SnappyDecoder.decompress(reference.stdout) == input)
            #expect(Double(compressed.count) <= Double(reference.stdout.count) * 1.05 + 16,
                    "ours \(compressed.count) bytes, reference \(reference.stdout.count) bytes")
        }
    }
}
