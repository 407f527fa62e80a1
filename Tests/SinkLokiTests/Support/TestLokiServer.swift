import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real HTTP/1.1 server on 127.0.0.1 (an ephemeral port) that plays Loki for the sink's tests.
///
/// It accepts keep-alive connections (one thread each), reads `Content-Length` or chunked bodies,
/// answers `Expect: 100-continue`, records every request, and answers with scripted replies:
/// any status with a body and headers, a dropped connection, or a hang until ``stop()``. Without a
/// script it answers 204. Call ``stop()`` when done (in a `defer`); it closes every socket and waits
/// for the threads to exit.
final class TestLokiServer: Sendable {
    /// One scripted reply.
    enum Reply: Sendable {
        case status(Int, body: String = "", headers: [(String, String)] = [])
        case dropConnection
        case hang
    }

    /// One received request.
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: [UInt8]

        /// The value of a header (case-insensitive name).
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    private struct State {
        var script: [Reply] = []
        var requests: [Request] = []
        var connections: Set<Int32> = []
        var threads = 0
        var acceptedConnections = 0
        var stopped = false
    }

    private let state = Mutex(State())
    private let changed = NSCondition()
    private let listener: Int32
    /// The port the server listens on.
    let port: Int

    /// The base URL, `http://127.0.0.1:<port>`.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts a server.
    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket failed") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw ServerError("bind/listen failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        startThread { [self] in acceptLoop() }
    }

    /// Queues replies, used in order; when the queue is empty the server answers 204.
    func script(_ replies: Reply...) {
        state.withLock { $0.script.append(contentsOf: replies) }
    }

    /// The requests received so far.
    var requests: [Request] {
        state.withLock { $0.requests }
    }

    /// The request at `index`, or an error when fewer arrived (instead of trapping on the index).
    func request(_ index: Int) throws -> Request {
        let requests = self.requests
        guard index < requests.count else { throw ServerError("request \(index) not received (\(requests.count) received)") }
        return requests[index]
    }

    /// The number of TCP connections accepted so far.
    var acceptedConnections: Int {
        state.withLock { $0.acceptedConnections }
    }

    /// Waits until at least `count` requests arrived (or a generous safety timeout passed).
    @discardableResult
    func waitForRequests(_ count: Int, timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        changed.lock()
        defer { changed.unlock() }
        while state.withLock({ $0.requests.count }) < count {
            if !changed.wait(until: deadline) { return false }
        }
        return true
    }

    /// Stops the server: closes the listener and every connection, releases hung replies, and waits
    /// for the threads to exit.
    func stop() {
        // Under the lock that `serve` closes its descriptor under, so that a descriptor number
        // closed and reused elsewhere in the process is never shut down here.
        state.withLock { state in
            state.stopped = true
            for fd in state.connections { shutdown(fd, Int32(SHUT_RDWR)) }
        }
        shutdown(listener, Int32(SHUT_RDWR))
        changed.lock()
        changed.broadcast()
        let deadline = Date().addingTimeInterval(10)
        while state.withLock({ $0.threads }) > 0 {
            if !changed.wait(until: deadline) { break }
        }
        changed.unlock()
        close(listener)
    }

    private func startThread(_ body: @escaping @Sendable () -> Void) {
        state.withLock { $0.threads += 1 }
        let thread = Thread { [self] in
            body()
            state.withLock { $0.threads -= 1 }
            signal()
        }
        thread.start()
    }

    private func signal() {
        changed.lock()
        changed.broadcast()
        changed.unlock()
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            let accepted = state.withLock { state -> Bool in
                if state.stopped { return false }
                state.connections.insert(fd)
                state.acceptedConnections += 1
                return true
            }
            if !accepted {
                close(fd)
                return
            }
            startThread { [self] in serve(fd) }
        }
    }

    private func serve(_ fd: Int32) {
        defer {
            state.withLock { state in
                state.connections.remove(fd)
                close(fd)
            }
        }
        var reader = SocketReader(fd: fd)
        while let request = readRequest(&reader, fd: fd) {
            let reply = state.withLock { state -> Reply in
                state.requests.append(request)
                return state.script.isEmpty ? .status(204) : state.script.removeFirst()
            }
            signal()
            switch reply {
            case .dropConnection:
                return
            case .hang:
                changed.lock()
                while !state.withLock({ $0.stopped }) { changed.wait() }
                changed.unlock()
                return
            case .status(let code, let body, let headers):
                var text = "HTTP/1.1 \(code) \(Self.reason(code))\r\nContent-Length: \(body.utf8.count)\r\n"
                for (name, value) in headers { text += "\(name): \(value)\r\n" }
                text += "\r\n" + body
                if !sendAll(fd, Array(text.utf8)) { return }
            }
        }
    }

    private static func reason(_ code: Int) -> String {
        switch code {
        case 200: "OK"
        case 204: "No Content"
        case 400: "Bad Request"
        case 413: "Payload Too Large"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }

    private func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    private func readRequest(_ reader: inout SocketReader, fd: Int32) -> Request? {
        guard let head = reader.readHead() else { return nil }
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        if headers["expect"]?.lowercased() == "100-continue" {
            _ = sendAll(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        var body: [UInt8] = []
        if let length = headers["content-length"].flatMap({ Int($0) }) {
            guard let bytes = reader.read(length) else { return nil }
            body = bytes
        } else if headers["transfer-encoding"]?.lowercased() == "chunked" {
            while true {
                guard let sizeLine = reader.readLine(), let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else { return nil }
                if size == 0 {
                    _ = reader.readLine()
                    break
                }
                guard let chunk = reader.read(size) else { return nil }
                body += chunk
                _ = reader.readLine()
            }
        }
        return Request(method: String(parts[0]), path: String(parts[1]), headers: headers, body: body)
    }
}

/// Buffered reads from a socket.
private struct SocketReader {
    let fd: Int32
    var buffer: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
    }

    private mutating func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count <= 0 { return false }
        buffer += chunk[0..<count]
        return true
    }

    mutating func readHead() -> String? {
        while true {
            if let end = find([13, 10, 13, 10]) {
                let head = String(decoding: buffer[0..<end], as: UTF8.self)
                buffer.removeFirst(end + 4)
                return head
            }
            if !fill() { return nil }
        }
    }

    mutating func readLine() -> String? {
        while true {
            if let end = find([13, 10]) {
                let line = String(decoding: buffer[0..<end], as: UTF8.self)
                buffer.removeFirst(end + 2)
                return line
            }
            if !fill() { return nil }
        }
    }

    mutating func read(_ count: Int) -> [UInt8]? {
        while buffer.count < count {
            if !fill() { return nil }
        }
        let bytes = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return bytes
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        for index in 0...(buffer.count - pattern.count) where buffer[index] == pattern[0] {
            if Array(buffer[index..<(index + pattern.count)]) == pattern { return index }
        }
        return nil
    }
}

/// A failure to start the test server.
struct ServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
