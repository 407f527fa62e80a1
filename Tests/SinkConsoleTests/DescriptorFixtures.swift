import AsyncSinks
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Real descriptors for the console sink tests: message sockets that keep each `write` as one
/// message, pipes, and temporary files. Every helper closes what it opened.
enum DescriptorFixtures {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A connected pair of `SOCK_SEQPACKET` sockets: every `write` on `writer` arrives as exactly one
    /// message on `reader`, so counting messages counts writes.
    static func withMessageSocket<Result>(_ body: (_ writer: Int32, _ reader: Int32) throws -> Result) throws -> Result {
        var descriptors: [Int32] = [-1, -1]
        #if canImport(Glibc)
        let kind = Int32(SOCK_SEQPACKET.rawValue)
        #else
        let kind = SOCK_SEQPACKET
        #endif
        guard socketpair(AF_UNIX, kind, 0, &descriptors) == 0 else { throw Failure(description: "socketpair failed: \(errno)") }
        defer {
            close(descriptors[0])
            close(descriptors[1])
        }
        var size: Int32 = 4 << 20
        setsockopt(descriptors[0], SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(descriptors[1], SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        return try body(descriptors[0], descriptors[1])
    }

    /// A connected pair of `SOCK_STREAM` sockets with small buffers, so a large write goes through in part.
    static func withStreamSocket<Result>(bufferSize: Int32, _ body: (_ writer: Int32, _ reader: Int32) throws -> Result) throws -> Result {
        var descriptors: [Int32] = [-1, -1]
        #if canImport(Glibc)
        let kind = Int32(SOCK_STREAM.rawValue)
        #else
        let kind = SOCK_STREAM
        #endif
        guard socketpair(AF_UNIX, kind, 0, &descriptors) == 0 else { throw Failure(description: "socketpair failed: \(errno)") }
        defer {
            close(descriptors[0])
            close(descriptors[1])
        }
        var size = bufferSize
        setsockopt(descriptors[0], SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(descriptors[1], SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        return try body(descriptors[0], descriptors[1])
    }

    /// Reads every message waiting on `reader`, without blocking.
    static func messages(from reader: Int32) -> [String] {
        var result: [String] = []
        var storage = [UInt8](repeating: 0, count: 8 << 20)
        while true {
            let received = storage.withUnsafeMutableBytes { recv(reader, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard received > 0 else { break }
            result.append(String(decoding: storage[0..<received], as: UTF8.self))
        }
        return result
    }

    /// A pipe; both ends are closed afterwards unless the body closed them already (and set them to -1).
    static func withPipe<Result>(_ body: (_ reader: inout Int32, _ writer: inout Int32) throws -> Result) throws -> Result {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { throw Failure(description: "pipe failed: \(errno)") }
        var reader = descriptors[0]
        var writer = descriptors[1]
        defer {
            if reader >= 0 { close(reader) }
            if writer >= 0 { close(writer) }
        }
        return try body(&reader, &writer)
    }

    /// Makes a pipe's write end non-blocking and writes to it until it takes no more.
    ///
    /// - Returns: The number of bytes written.
    static func fillNonBlocking(_ writer: Int32) -> Int {
        _ = fcntl(writer, F_SETFL, fcntl(writer, F_GETFL) | O_NONBLOCK)
        let filler = [UInt8](repeating: UInt8(ascii: "x"), count: 4096)
        var filled = 0
        while true {
            let count = filler.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
            if count <= 0 { return filled }
            filled += count
        }
    }

    /// Reads what is waiting in a pipe or stream socket without blocking.
    static func drain(_ reader: Int32) -> [UInt8] {
        let flags = fcntl(reader, F_GETFL)
        _ = fcntl(reader, F_SETFL, flags | O_NONBLOCK)
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }

    /// A temporary file open for writing; the body gets its descriptor and path. Removed afterwards.
    static func withTemporaryFile<Result>(_ body: (_ descriptor: Int32, _ path: String) throws -> Result) throws -> Result {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("console-sink-\(UUID().uuidString).log").path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw Failure(description: "open failed: \(errno)") }
        defer {
            close(descriptor)
            unlink(path)
        }
        return try body(descriptor, path)
    }

    /// A descriptor number that is certainly not open in this process.
    static let closedDescriptor: Int32 = 1_000_000

    /// Records at every level, from `App/Server.swift:42`, one second apart from 2026-11-24T08:15:50Z.
    static func records(count: Int, levels: [LogLevel] = LogLevel.allCases, message: String = "event") -> [LogRecord] {
        (0..<count).map { index in
            LogRecord(
                timestamp: LogTimestamp(nanosecondsSinceEpoch: 1_795_508_150_000_000_000 + Int64(index) * 1_000_000_000),
                level: levels[index % levels.count],
                message: "\(message) \(index)",
                fields: ["n": .int(Int64(index))],
                label: "test",
                file: "App/Server.swift",
                function: "serve()",
                line: 42
            )
        }
    }

    /// The lines `formatter` writes for `records`, concatenated.
    static func expected(_ records: [LogRecord], _ formatter: some LogFormatter) -> String {
        let buffer = LineBuffer()
        for record in records { formatter.format(record, into: buffer) }
        return buffer.string
    }
}
