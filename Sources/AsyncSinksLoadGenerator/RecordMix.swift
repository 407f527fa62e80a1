public import AsyncSinks

/// Generates a realistic, reproducible stream of log calls: several services, weighted levels, a few
/// fields per record, and high-cardinality fields (`request_id`, `user_id`) that must stay out of
/// Loki labels (only `service` is promoted).
public struct RecordMix: Sendable {
    /// One generated call.
    public struct Call: Sendable {
        /// The service, used as the logger's label and as the `service` field.
        public var service: String
        /// The level.
        public var level: LogLevel
        /// The message.
        public var message: String
        /// The call-site fields.
        public var fields: LogFields
    }

    /// The services records come from.
    public static let services = ["checkout", "payments", "search", "inventory", "auth"]

    /// Level weights per thousand: mostly info, some debug, few errors.
    static let levelWeights: [(LogLevel, Int)] = [
        (.trace, 50), (.debug, 150), (.info, 600), (.notice, 80), (.warning, 80), (.error, 35), (.critical, 5),
    ]

    private static let routes = ["/cart", "/orders", "/orders/:id", "/search", "/login", "/items/:sku", "/health"]
    private static let messages: [LogLevel: [String]] = [
        .trace: ["cache lookup", "row decoded"],
        .debug: ["query planned", "connection reused", "feature flag evaluated"],
        .info: ["request served", "order placed", "search completed", "session refreshed"],
        .notice: ["config reloaded", "slow request"],
        .warning: ["retrying upstream call", "rate limit close", "deprecated endpoint used"],
        .error: ["upstream call failed", "payment declined", "database timeout"],
        .critical: ["circuit breaker open", "disk almost full"],
    ]

    private var state: UInt64
    private let lineBytes: Int?

    /// Creates a generator.
    ///
    /// - Parameters:
    ///   - seed: The random seed; the same seed gives the same calls.
    ///   - lineBytes: Pad messages so each record is about this many bytes, or `nil`.
    public init(seed: UInt64, lineBytes: Int? = nil) {
        self.state = seed &+ 0x9E37_79B9_7F4A_7C15
        self.lineBytes = lineBytes
    }

    /// A SplitMix64 step.
    private mutating func nextRandom() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func next(below bound: Int) -> Int {
        Int(nextRandom() % UInt64(bound))
    }

    /// Generates the next call.
    ///
    /// - Returns: The call.
    public mutating func next() -> Call {
        let service = Self.services[next(below: Self.services.count)]
        var pick = next(below: 1000)
        var level = LogLevel.info
        for (candidate, weight) in Self.levelWeights {
            if pick < weight {
                level = candidate
                break
            }
            pick -= weight
        }
        let choices = Self.messages[level] ?? ["event"]
        var message = choices[next(below: choices.count)]
        let status = level >= .error ? [500, 502, 503][next(below: 3)] : [200, 200, 200, 201, 204, 404][next(below: 6)]
        var fields: LogFields = [
            "service": .string(service),
            "route": .string(Self.routes[next(below: Self.routes.count)]),
            "status": .int(Int64(status)),
            "duration_ms": .double(Double(next(below: 250_000)) / 1000),
            "request_id": .string(Self.hex(nextRandom())),
            "user_id": .string("u-" + String(next(below: 1_000_000))),
        ]
        if next(below: 4) == 0 { fields.append("cached", .bool(true)) }
        if let lineBytes {
            let size = LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: 0), level: level, message: message, fields: fields, label: service)
                .estimatedSize
            if size < lineBytes { message += " " + String(repeating: "x", count: lineBytes - size - 1) }
        }
        return Call(service: service, level: level, message: message, fields: fields)
    }

    private static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
