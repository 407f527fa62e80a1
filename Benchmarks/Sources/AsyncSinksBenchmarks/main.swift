import AsyncSinks
import Foundation

/// A sink that formats records minimally into a buffer and writes them to a file descriptor.
final class DescriptorSink: LogSink, @unchecked Sendable {
    let descriptor: Int32
    let buffer = LineBuffer(capacity: 1 << 20)

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    func write(_ batch: inout LogBatch) throws {
        buffer.removeAll()
        for record in batch.records {
            buffer.append(record.message)
            record.forEachField { key, _ in
                buffer.append(UInt8(ascii: " "))
                buffer.append(key)
            }
            buffer.append(UInt8(ascii: "\n"))
        }
        _ = buffer.withUnsafeReadableBytes { bytes in Foundation.write(descriptor, bytes.baseAddress, bytes.count) }
    }
}

let directory = TemporaryDirectory("caller")
let descriptor = open(directory.path + "/out.log", O_WRONLY | O_CREAT | O_APPEND, 0o644)
for variant in 0..<4 {
var p50s: [Double] = [], p99s: [Double] = [], p999s: [Double] = [], allocs: [Double] = []
for _ in 0..<3 {
    let result = try CallerLatency.run(sinks: [SinkRegistration("file", sink: DescriptorSink(descriptor: descriptor), configuration: SinkConfiguration(minimumLevel: variant == 3 ? .info : .trace, backpressure: .dropNewest))], variant: variant)
    p50s.append(result.percentiles.p50)
    p99s.append(result.percentiles.p99)
    p999s.append(result.percentiles.p999)
    allocs.append(result.allocationsPerCall)
}
print("variant \(variant) p50 \(median(p50s)) p99 \(median(p99s)) p999 \(median(p999s)) allocs \(median(allocs))")
}
