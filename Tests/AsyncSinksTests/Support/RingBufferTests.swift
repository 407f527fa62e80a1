@testable import AsyncSinks
import Testing

@Suite struct RingBufferTests {
    final class Tracked {
        let value: Int
        init(_ value: Int) { self.value = value }
    }

    @Test func keepsFirstInFirstOutOrderAcrossWrappingAndGrowth() {
        var buffer = RingBuffer<Tracked>(initialCapacity: 4)
        var expected: [Int] = []
        var next = 0
        // Interleave appends and removals so the head moves around the storage before it grows.
        for round in 0..<40 {
            for _ in 0..<(round % 5 + 1) {
                buffer.append(Tracked(next))
                expected.append(next)
                next += 1
            }
            for _ in 0..<(round % 3) {
                #expect(buffer.first { $0.pointee.value } == expected.first)
                #expect(buffer.popFirst()?.value == expected.removeFirst())
            }
            #expect(buffer.count == expected.count)
        }
        #expect(buffer.withFirst { $0 = Tracked(-1); return $0.value } == -1)
        expected[0] = -1
        var remaining: [Int] = []
        while let element = buffer.popFirst() { remaining.append(element.value) }
        #expect(remaining == expected)
        #expect(buffer.isEmpty && buffer.first({ $0.pointee.value }) == nil && buffer.withFirst { $0.value } == nil)
    }

    @Test func releasesWhatIsLeftWhenItGoesAway() {
        weak var kept: Tracked?
        weak var wrapped: Tracked?
        do {
            var buffer = RingBuffer<Tracked>(initialCapacity: 4)
            for value in 0..<3 { buffer.append(Tracked(value)) }
            _ = buffer.popFirst()
            _ = buffer.popFirst()
            let first = Tracked(10), second = Tracked(11)
            kept = first
            wrapped = second
            buffer.append(first)
            buffer.append(second)
            buffer.append(Tracked(12))
            #expect(buffer.count == 4)
        }
        #expect(kept == nil)
        #expect(wrapped == nil)
    }
}
