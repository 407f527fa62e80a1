/// Metric 2: waits for the swift-log bridge (module `AsyncSinksSwiftLog`) to reach the main branch.
enum BridgeSuite {
    static func run(_ options: RunOptions) throws -> [Metric] {
        [.pending("2 swift-log bridge caller latency p50", unit: "ns", peerName: "swift-log StreamLogHandler", targetRatio: 5,
                  note: "the bridge module AsyncSinksSwiftLog is not on main yet")]
    }
}
