import AsyncSinks
import Dispatch
import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends push requests with one `URLSession` per sink (connections are reused), synchronously: the
/// calling pipeline worker waits for the answer, the request timeout, or the batch's cancellation.
final class LokiHTTPClient: Sendable {
    /// The push URL.
    let url: URL
    /// The push URL as text.
    let urlString: String
    private let session: URLSession
    private let headers: [(name: String, value: String)]
    private let timeout: Duration
    /// Whether ``invalidate()`` was called; tasks are created and the session invalidated under this
    /// lock, because an invalidated session must not create tasks.
    private let closed = Mutex(false)

    /// The longest part of a response body kept for messages.
    static let maxResponseBodyBytes = 1024

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - url: The push URL.
    ///   - configuration: The sink's configuration (headers, tenant, authentication, timeout).
    init(url: URL, configuration: LokiSinkConfiguration) {
        self.url = url
        self.urlString = url.absoluteString
        self.timeout = configuration.requestTimeout
        var headers: [(String, String)] = []
        for (name, value) in configuration.headers.sorted(by: { $0.key < $1.key }) {
            headers.append((name, value))
        }
        if let tenant = configuration.tenant, !tenant.isEmpty { headers.append(("X-Scope-OrgID", tenant)) }
        if let authorization = configuration.authentication.headerValue { headers.append(("Authorization", authorization)) }
        self.headers = headers
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        let seconds = Self.seconds(configuration.requestTimeout)
        sessionConfiguration.timeoutIntervalForRequest = seconds
        sessionConfiguration.timeoutIntervalForResource = seconds
        sessionConfiguration.httpMaximumConnectionsPerHost = max(2, configuration.shardCount)
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        sessionConfiguration.urlCache = nil
        sessionConfiguration.httpShouldSetCookies = false
        sessionConfiguration.httpCookieAcceptPolicy = .never
        self.session = URLSession(configuration: sessionConfiguration)
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return max(0.001, TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18)
    }

    /// Sends one request and waits for its outcome.
    ///
    /// - Parameters:
    ///   - body: The encoded (and compressed) body.
    ///   - contentType: `application/x-protobuf` or `application/json`.
    ///   - contentEncoding: `gzip`, or `nil`.
    ///   - cancellation: Cancels the request when raised.
    /// - Returns: The answer.
    func send(body: Data, contentType: String, contentEncoding: String?, cancellation: CancellationSignal) -> LokiResponse {
        if cancellation.isCancelled { return .cancelled }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: Self.seconds(timeout))
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        if let contentEncoding { request.setValue(contentEncoding, forHTTPHeaderField: "Content-Encoding") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }

        let result = Mutex<LokiResponse?>(nil)
        let done = DispatchSemaphore(value: 0)
        let session = self.session
        let created = closed.withLock { closed -> URLSessionDataTask? in
            if closed { return nil }
            let task = session.dataTask(with: request) { data, response, error in
                let outcome = Self.response(data: data, response: response, error: error)
                result.withLock { $0 = outcome }
                done.signal()
            }
            task.resume()
            return task
        }
        guard let task = created else { return .closed }
        cancellation.onCancel { task.cancel() }
        // URLSession enforces the timeout; the extra margin only guards against a lost callback.
        if done.wait(timeout: .now() + Self.seconds(timeout) + 5) == .timedOut {
            task.cancel()
            _ = done.wait(timeout: .now() + 5)
            return .timedOut
        }
        return result.withLock { $0 } ?? .transportError("no response")
    }

    private static func response(data: Data?, response: URLResponse?, error: (any Error)?) -> LokiResponse {
        if let error {
            let code = (error as NSError).code
            if code == NSURLErrorCancelled { return .cancelled }
            if code == NSURLErrorTimedOut { return .timedOut }
            return .transportError("\(error.localizedDescription) (code \(code))")
        }
        guard let http = response as? HTTPURLResponse else { return .transportError("the answer is not HTTP") }
        let bytes = (data ?? Data()).prefix(maxResponseBodyBytes)
        let body = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return .status(code: http.statusCode, body: body, retryAfter: http.value(forHTTPHeaderField: "Retry-After"))
    }

    /// Cancels outstanding requests and releases the session.
    func invalidate() {
        closed.withLock { closed in
            if closed { return }
            closed = true
            session.invalidateAndCancel()
        }
    }
}
