import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 that answers every request with `204 No Content`
/// (keep-alive), counts requests and keeps the last body: the Loki endpoint of the benchmarks.
final class LoopbackHTTPServer: @unchecked Sendable {
    struct Received {
        var requests = 0
        var bodyBytes = 0
        var lastBody: [UInt8] = []
        var lastContentEncoding: String?
    }

    let port: Int
    private let listener: Int32
    private let state = Mutex(Received())
    private let stopped = Atomic<Bool>(false)

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else { throw BenchmarkError("cannot listen on 127.0.0.1") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// The Loki base URL of this server.
    var url: String { "http://127.0.0.1:\(port)" }

    /// What the server received so far.
    var received: Received { state.withLock { $0 } }

    /// Stops accepting connections.
    func stop() {
        stopped.store(true, ordering: .relaxed)
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            var yes: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            Thread.detachNewThread { [self] in serve(connection) }
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        func fill() -> Bool {
            let count = read(connection, &chunk, chunk.count)
            if count <= 0 { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
        while true {
            var headerEnd: Int?
            while headerEnd == nil {
                headerEnd = Self.find([13, 10, 13, 10], in: buffer)
                if headerEnd == nil, !fill() { return }
            }
            guard let end = headerEnd else { return }
            let header = String(decoding: buffer[0..<end], as: UTF8.self).lowercased()
            buffer.removeFirst(end + 4)
            var contentLength = 0
            var encoding: String?
            for line in header.split(separator: "\r\n") {
                if line.hasPrefix("content-length:") { contentLength = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0 }
                if line.hasPrefix("content-encoding:") { encoding = line.dropFirst(17).trimmingCharacters(in: .whitespaces) }
                if line.hasPrefix("expect:"), line.contains("100-continue") { Self.send("HTTP/1.1 100 Continue\r\n\r\n", to: connection) }
            }
            while buffer.count < contentLength {
                if !fill() { return }
            }
            let body = Array(buffer[0..<contentLength])
            buffer.removeFirst(contentLength)
            state.withLock { received in
                received.requests += 1
                received.bodyBytes += body.count
                received.lastBody = body
                received.lastContentEncoding = encoding
            }
            Self.send("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n", to: connection)
        }
    }

    private static func send(_ text: String, to connection: Int32) {
        var bytes = Array(text.utf8)
        _ = write(connection, &bytes, bytes.count)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return start }
        }
        return nil
    }
}

/// A benchmark that could not run.
struct BenchmarkError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
