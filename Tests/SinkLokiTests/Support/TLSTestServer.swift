import Foundation

/// An HTTPS server on 127.0.0.1 for the test of the sink's https path: Python's `http.server` behind
/// `ssl`, answering every POST with 204 and printing one line per request (path, body length,
/// content type) on its standard output.
///
/// It serves the certificate and key named by `ASYNCSINKS_TLS_TEST_CERT` and `ASYNCSINKS_TLS_TEST_KEY`;
/// the certificate must be for `IP:127.0.0.1` and issued by a CA in the system's trust store, which
/// is the only store FoundationNetworking reads on Linux. CI sets both up (see `.ci/run`).
final class TLSTestServer {
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// The certificate and key from the environment, when both files exist.
    static var credentials: (certificate: String, key: String)? {
        let environment = ProcessInfo.processInfo.environment
        guard let certificate = environment["ASYNCSINKS_TLS_TEST_CERT"], let key = environment["ASYNCSINKS_TLS_TEST_KEY"],
              FileManager.default.fileExists(atPath: certificate), FileManager.default.fileExists(atPath: key)
        else { return nil }
        return (certificate, key)
    }

    private static let script = """
        import http.server, ssl, sys
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                self.rfile.read(length)
                print(self.path, length, self.headers.get("Content-Type"), flush=True)
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()
            def log_message(self, *arguments):
                pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        server.socket = context.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """

    private let process = Process()
    private let output = Pipe()
    private var pending = Data()
    /// The port the server listens on.
    private(set) var port = 0

    /// Starts the server and waits for its port.
    init(certificate: String, key: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", Self.script, certificate, key]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard let line = readLine(), let port = Int(line) else {
            stop()
            throw Unavailable(description: "the TLS test server did not start")
        }
        self.port = port
    }

    /// Reads the next line the server printed, or `nil` at the end of its output (after ``stop()``,
    /// never waiting).
    func readLine() -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                return line
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            pending.append(chunk)
        }
    }

    /// Stops the server; what it printed stays readable.
    func stop() {
        // SIGKILL: the child may inherit a mask that blocks SIGTERM from the test runner.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
