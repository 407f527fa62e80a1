/// Metric 2: waits for the swift-log bridge (module `AsyncSinksSwiftLog`) to reach the main branch.
enum BridgeSuite {
    static func run(_ options: RunOptions) throws -> [Metric] {
        [.pending("2 swift-log bridge caller latency p50", unit: "ns", peerName: "swift-log StreamLogHandler", targetRatio: 5,
                  note: "the bridge module AsyncSinksSwiftLog is not on main yet")]
    }
}

/// Metric 11: waits for the Loki sink (module `SinkLoki`) to reach the main branch.
enum LokiSuite {
    static func run(_ options: RunOptions) throws -> [Metric] {
        [.pending("11 Loki encoding per entry", unit: "ns", note: "the Loki sink module SinkLoki is not on main yet")]
    }
}

/// Metric 13: waits for the Loki sink (module `SinkLoki`) to reach the main branch.
enum MemorySuite {
    static func run(_ options: RunOptions) throws -> [Metric] {
        [.pending("13 peak memory, Loki unreachable", unit: "MiB", note: "the Loki sink module SinkLoki is not on main yet")]
    }
}
