import AsyncSinksGzip
import Foundation
import Testing

@Suite("GzipDeflater")
struct GzipDeflaterTests {
    @Test("streamed chunks decompress to the original bytes")
    func roundTripInChunks() throws {
        var original: [UInt8] = []
        for index in 0..<50_000 {
            original.append(contentsOf: Array("line \(index) some repeated text\n".utf8))
        }
        let deflater = try GzipDeflater(level: 6)
        var compressed: [UInt8] = []
        var offset = 0
        while offset < original.count {
            let end = min(offset + 7_777, original.count)
            try deflater.compress(Array(original[offset..<end]), into: &compressed)
            offset = end
        }
        try deflater.finish(into: &compressed)
        #expect(deflater.isFinished)
        #expect(compressed.count < original.count / 4)
        #expect(compressed.prefix(2) == [0x1F, 0x8B])
        #expect(try GzipTestSupport.gunzip(compressed) == original)
    }

    // At level 0 the stored blocks follow the sizes of the output buffers, which differ.
    @Test(
        "the member is byte for byte what zlib's own gzip wrapper makes, but for the system byte",
        arguments: [1, 6, 9] as [Int32]
    )
    func sameAsZlibWrapper(level: Int32) throws {
        let input = Array(String(repeating: "level=info msg=\"request served\" status=200\n", count: 2_000).utf8)
            + GzipTestSupport.noise(count: 20_000, seed: 3)
        let ours = try input.withUnsafeBytes { try GzipDeflater.gzip($0, level: level) }
        let zlibs = try #require(GzipTestSupport.zlibGzip(input, level: level))
        #expect(ours.count == zlibs.count)
        // Byte 9 names the system that wrote the member, which zlib takes from its build.
        #expect(Array(ours.prefix(9)) == Array(zlibs.prefix(9)))
        #expect(ours.dropFirst(10).elementsEqual(zlibs.dropFirst(10)))
    }

    @Test("checksums computed by the caller make the same member as the deflater's own")
    func callerChecksums() throws {
        let input = GzipTestSupport.noise(count: 30_000, seed: 11) + [UInt8](repeating: 66, count: 30_000)
        let own = try input.withUnsafeBytes { try GzipDeflater.gzip($0, level: 1) }
        let deflater = try GzipDeflater(level: 1)
        var given: [UInt8] = []
        try input.withUnsafeBytes { bytes in
            for start in stride(from: 0, to: bytes.count, by: 7_000) {
                let piece = UnsafeRawBufferPointer(rebasing: bytes[start..<min(start + 7_000, bytes.count)])
                try deflater.compress(piece, checksum: GzipChecksum(of: piece), into: &given)
            }
        }
        try deflater.finish(into: &given)
        #expect(given == own)
        #expect(try GzipTestSupport.gunzip(given) == input)
    }

    @Test("the trailer records the checksum the caller gives: a wrong one makes a member gzip rejects")
    func wrongChecksumIsRecorded() throws {
        let input = Array("the bytes compressed".utf8), other = Array("other bytes, as many".utf8)
        let deflater = try GzipDeflater(level: 6)
        var output: [UInt8] = []
        try input.withUnsafeBytes { bytes in
            try deflater.compress(bytes, checksum: other.withUnsafeBytes { GzipChecksum(of: $0) }, into: &output)
        }
        try deflater.finish(into: &output)
        #expect(throws: (any Error).self) { try GzipTestSupport.gunzip(output) }
    }

    @Test("a checksum of another length is an error that leaves the stream usable")
    func checksumOfAnotherLength() throws {
        let deflater = try GzipDeflater(level: 6)
        var output: [UInt8] = []
        let input = Array("twelve bytes".utf8)
        #expect(throws: GzipError.self) {
            try input.withUnsafeBytes { bytes in
                let firstFive = GzipChecksum(of: UnsafeRawBufferPointer(rebasing: bytes[0..<5]))
                try deflater.compress(bytes, checksum: firstFive, into: &output)
            }
        }
        try deflater.compress(input, into: &output)
        try deflater.finish(into: &output)
        #expect(try GzipTestSupport.gunzip(output) == input)
    }

    @Test("an empty input gives a valid empty gzip member")
    func emptyInput() throws {
        let compressed = try [UInt8]().withUnsafeBytes { try GzipDeflater.gzip($0) }
        #expect(compressed.prefix(2) == [0x1F, 0x8B])
        #expect(try GzipTestSupport.gunzip(compressed).isEmpty)
    }

    @Test("using a finished stream is an error, not a crash")
    func useAfterFinish() throws {
        let deflater = try GzipDeflater(level: 1)
        var output: [UInt8] = []
        try deflater.finish(into: &output)
        #expect(throws: GzipError.self) { try deflater.compress([1, 2, 3], into: &output) }
        #expect(throws: GzipError.self) { try deflater.finish(into: &output) }
        deflater.end()
    }

    @Test("a reset deflater produces a new, independent member, also after finish released it")
    func resetReuses() throws {
        let deflater = try GzipDeflater(level: 6)
        for round in 0..<3 {
            let input = Array("round \(round) ".utf8) + [UInt8](repeating: UInt8(65 + round), count: 5_000)
            var output: [UInt8] = []
            try deflater.compress(input, into: &output)
            try deflater.finish(into: &output)
            #expect(try GzipTestSupport.gunzip(output) == input)
            try deflater.reset()
            #expect(!deflater.isFinished)
        }
        var partial: [UInt8] = []
        try deflater.compress([1, 2, 3], into: &partial)
        try deflater.reset()  // abandons the unfinished member
        var fresh: [UInt8] = []
        try deflater.compress([4, 5, 6], into: &fresh)
        try deflater.finish(into: &fresh)
        #expect(try GzipTestSupport.gunzip(fresh) == [4, 5, 6])
    }

    @Test("levels outside 0...9 are clamped")
    func levelClamped() throws {
        let low = try [UInt8](repeating: 65, count: 10_000).withUnsafeBytes { try GzipDeflater.gzip($0, level: -5) }
        let high = try [UInt8](repeating: 65, count: 10_000).withUnsafeBytes { try GzipDeflater.gzip($0, level: 42) }
        #expect(try GzipTestSupport.gunzip(low) == [UInt8](repeating: 65, count: 10_000))
        #expect(try GzipTestSupport.gunzip(high) == [UInt8](repeating: 65, count: 10_000))
        #expect(high.count < low.count)
    }
}
