import AsyncSinksGzip
import Testing

@Suite("GzipChecksum")
struct GzipChecksumTests {
    @Test("the CRC-32 of the standard check string is CBF43926")
    func checkValue() {
        let checksum = Array("123456789".utf8).withUnsafeBytes { GzipChecksum(of: $0) }
        #expect(checksum.crc == 0xCBF4_3926)
        #expect(checksum.byteCount == 9)
    }

    @Test("no bytes have a CRC of 0 and a length of 0")
    func empty() {
        let checksum = [UInt8]().withUnsafeBytes { GzipChecksum(of: $0) }
        #expect(checksum == GzipChecksum())
        #expect(checksum.crc == 0)
        #expect(checksum.byteCount == 0)
    }

    @Test("appending the checksums of consecutive pieces gives the checksum of the whole")
    func appendCombines() {
        let bytes = GzipTestSupport.noise(count: 100_000, seed: 7)
        let whole = bytes.withUnsafeBytes { GzipChecksum(of: $0) }
        for cuts in [[0], [1], [50_000], [99_999], [100_000], [0, 0, 3, 70_000, 70_000]] {
            var combined = GzipChecksum()
            var start = 0
            for end in cuts + [bytes.count] {
                combined.append(bytes[start..<end].withUnsafeBytes { GzipChecksum(of: $0) })
                start = end
            }
            #expect(combined == whole, "cut at \(cuts)")
        }
    }
}
