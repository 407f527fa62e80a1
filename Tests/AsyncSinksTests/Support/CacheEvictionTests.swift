import CAsyncSinksSupport
import Testing

/// `asyncsinks_evict_from_caches` and `asyncsinks_prefetch_for_writing`, which the distributor and
/// the logging call use on the intake's storage: both are hints that must leave memory as it is.
@Suite struct CacheEvictionTests {
    @Test(arguments: [(0, 0), (0, 1), (1, 63), (5, 64), (63, 2), (17, 4_000), (64, 8_192), (3, 12_285)])
    func evictingARangeLeavesEveryByteAsItWas(offset: Int, length: Int) throws {
        let size = 12_352
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
        defer { buffer.deallocate() }
        let base = try #require(buffer.baseAddress)
        for index in 0..<size { buffer[index] = UInt8(truncatingIfNeeded: index &* 31 &+ 7) }
        asyncsinks_evict_from_caches(base + offset, length)
        asyncsinks_prefetch_for_writing(base + offset, length)
        #expect((0..<size).allSatisfy { buffer[$0] == UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
    }
}
