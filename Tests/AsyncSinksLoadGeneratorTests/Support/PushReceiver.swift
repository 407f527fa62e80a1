import Foundation
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 that accepts Loki pushes and answers 204.
///
/// It serves keep-alive connections (one thread each), reads `Content-Length` bodies, answers
/// `Expect: 100-continue`, and keeps every body. ``stop()`` closes every socket and waits for the
/// threads to exit.
final class PushReceiver: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private struct State {
        var bodies: [[UInt8]] = []
        var connections: Set<Int32> = []
        var threads = 0
        var stopped = false
    }

    private let state = Mutex(State())
    private let threadsExited = NSCondition()
    private let listener: Int32
    /// The port the server listens on.
    let port: Int

    /// Starts listening on an ephemeral loopback port.
    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && listen(descriptor, 16) == 0
                    && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard listening else {
            close(descriptor)
            throw Failure(description: "cannot listen on 127.0.0.1: \(errno)")
        }
        listener = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        spawn { [self] in acceptLoop() }
    }

    /// The bodies received so far.
    var bodies: [[UInt8]] { state.withLock { $0.bodies } }

    /// Closes the listener and every connection and waits for the server's threads to exit.
    func stop() {
        let connections = state.withLock { state -> Set<Int32> in
            state.stopped = true
            return state.connections
        }
        shutdown(listener, Int32(SHUT_RDWR))
        for connection in connections { shutdown(connection, Int32(SHUT_RDWR)) }
        threadsExited.lock()
        while state.withLock({ $0.threads }) > 0 {
            _ = threadsExited.wait(until: Date().addingTimeInterval(0.1))
        }
        threadsExited.unlock()
        close(listener)
    }

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        state.withLock { $0.threads += 1 }
        Thread { [self] in
            body()
            state.withLock { $0.threads -= 1 }
            threadsExited.lock()
            threadsExited.broadcast()
            threadsExited.unlock()
        }.start()
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            let accepted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.connections.insert(connection)
                return true
            }
            guard accepted else {
                close(connection)
                return
            }
            spawn { [self] in
                serve(connection)
                state.withLock { _ = $0.connections.remove(connection) }
                close(connection)
            }
        }
    }

    /// Serves requests on one connection until the peer closes it.
    private func serve(_ connection: Int32) {
        var buffered: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        func fill() -> Bool {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return false }
            buffered.append(contentsOf: chunk[0..<count])
            return true
        }
        func reply(_ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            var headerEnd: Int?
            while headerEnd == nil {
                if buffered.count >= 4 {
                    headerEnd = (0...(buffered.count - 4)).first { Array(buffered[$0..<$0 + 4]) == separator }
                }
                if headerEnd == nil, !fill() { return }
            }
            guard let end = headerEnd else { return }
            let head = String(decoding: buffered[0..<end], as: UTF8.self).lowercased()
            buffered.removeFirst(end + 4)
            var contentLength = 0
            var expectsContinue = false
            for line in head.split(separator: "\r\n") {
                if line.hasPrefix("content-length:") {
                    contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
                if line.hasPrefix("expect:"), line.contains("100-continue") { expectsContinue = true }
            }
            if expectsContinue { reply("HTTP/1.1 100 Continue\r\n\r\n") }
            while buffered.count < contentLength {
                if !fill() { return }
            }
            let body = Array(buffered[0..<contentLength])
            buffered.removeFirst(contentLength)
            state.withLock { $0.bodies.append(body) }
            reply("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
        }
    }
}
