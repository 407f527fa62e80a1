import AsyncSinks
import Foundation

/// A small simulated web service: workers handle requests, talk to a database and a payment
/// provider, and log what happens with structured fields.
struct DemoService: Sendable {
    let logger: Logger
    let requests: Int
    let workers: Int

    private static let routes = ["/api/orders", "/api/orders/{id}", "/api/cart", "/api/payments", "/health"]

    /// Serves `requests` requests on `workers` threads and returns when all are done.
    func run() {
        let group = DispatchGroup()
        for worker in 0..<workers {
            group.enter()
            Thread {
                serve(worker: worker)
                group.leave()
            }.start()
        }
        group.wait()
    }

    private func serve(worker: Int) {
        var random = SystemRandomNumberGenerator()
        let workerLogger = logger.with(["worker": .int(Int64(worker))])
        for index in stride(from: worker, to: requests, by: workers) {
            let route = Self.routes[index % Self.routes.count]
            let requestID = String(UInt64.random(in: 0..<UInt64.max, using: &random), radix: 36)
            let request = workerLogger.with(["request_id": .string(requestID), "route": .string(route)])
            request.debug("request received", ["method": index % 3 == 0 ? "POST" : "GET"])
            let databaseMilliseconds = (Double.random(in: 0.3...12, using: &random) * 100).rounded() / 100
            request.trace("query executed", ["table": "orders", "rows": .int(Int64(index % 40)), "ms": .double(databaseMilliseconds)])
            var status = 200
            if route == "/api/payments", index % 49 == 3 {
                status = 502
                request.error("payment provider failed", ["provider": "acme-pay", "attempt": 1], error: PaymentError.timeout)
            } else if databaseMilliseconds > 11.8 {
                request.warning("slow query", ["ms": .double(databaseMilliseconds), "threshold_ms": 11.8])
            }
            request.info("request served", ["status": .int(Int64(status)), "ms": .double(databaseMilliseconds + 1.5)])
            if index % 25 == 0 { Thread.sleep(forTimeInterval: 0.01) }
        }
    }
}

enum PaymentError: Error, CustomStringConvertible {
    case timeout

    var description: String { "the payment provider did not answer within 2 s" }
}
