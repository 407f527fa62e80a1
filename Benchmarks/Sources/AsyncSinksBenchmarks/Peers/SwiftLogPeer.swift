import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A text stream that writes each string with one `write(2)` to a file descriptor: how a
/// `StreamLogHandler` writes to a file.
struct DescriptorTextStream: TextOutputStream, Sendable {
    let descriptor: Int32

    mutating func write(_ string: String) {
        var text = string
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}

/// swift-log loggers over a `StreamLogHandler` writing to a file.
enum SwiftLogPeer {
    /// A swift-log logger whose `StreamLogHandler` appends to the file at `path`.
    ///
    /// - Parameters:
    ///   - path: The file (created or appended to).
    ///   - level: The logger's level.
    /// - Returns: The logger and the descriptor to close afterwards.
    static func fileLogger(path: String, level: Logging.Logger.Level = .trace) -> (Logging.Logger, Int32) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        let stream = DescriptorTextStream(descriptor: descriptor)
        var logger = Logging.Logger(label: "bench") { label in StreamLogHandler(label: label, stream: stream) }
        logger.logLevel = level
        return (logger, descriptor)
    }

    /// The call the caller-latency benchmarks time: a message and three metadata values.
    @inline(__always)
    static func logThreeFields(_ logger: Logging.Logger, _ index: Int) {
        logger.info("request served", metadata: ["status": "200", "path": "/api/v1/orders", "ms": "\(index & 1023)"])
    }
}
