import AsyncSinks
@testable import SinkLoki
import Testing

@Suite("ProtobufSizes")
struct ProtobufSizesTests {
    @Test("a varint's size is the number of bytes its encoding takes, at every group boundary")
    func varintSizeMatchesItsEncoding() {
        var values: [UInt64] = [0, 1, UInt64.max, UInt64(Int64.max), 1_733_000_000, 999_999_999]
        for bits in 1..<64 {
            let boundary = UInt64(1) << UInt64(bits)
            values += [boundary - 1, boundary, boundary + 1]
        }
        var scratch = [UInt8](repeating: 0, count: 10)
        for value in values {
            let written = scratch.withUnsafeMutableBufferPointer { buffer in
                buffer.baseAddress.map { LineBuffer.writeVarint(value, to: $0) } ?? 0
            }
            #expect(ProtobufSizes.varint(value) == written, "value \(value)")
        }
        #expect(ProtobufSizes.varint(0) == 1)
        #expect(ProtobufSizes.varint(127) == 1)
        #expect(ProtobufSizes.varint(128) == 2)
        #expect(ProtobufSizes.varint(UInt64.max) == 10)
    }
}
