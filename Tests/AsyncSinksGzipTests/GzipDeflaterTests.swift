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
