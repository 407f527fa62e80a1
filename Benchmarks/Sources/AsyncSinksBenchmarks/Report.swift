import Foundation

/// One benchmark result: ours, the peer measured in the same run, and the target.
struct Metric: Codable {
    var name: String
    var unit: String
    var ours: Double
    var peer: Double
    var peerName: String
    /// The ratio the target requires (see `lowerIsBetter`); 0 when the metric has no peer.
    var targetRatio: Double
    /// Whether smaller values of `ours` are better.
    var lowerIsBetter: Bool

    enum CodingKeys: String, CodingKey {
        case name, unit, ours, peer
        case peerName = "peer_name"
        case targetRatio = "target_ratio"
        case lowerIsBetter = "lower_is_better"
    }

    /// How many times better ours is than the peer (>1 is better), or 0 without a peer.
    var advantage: Double {
        guard peer > 0, ours > 0 else { return 0 }
        return lowerIsBetter ? peer / ours : ours / peer
    }

    var line: String {
        let value = { (number: Double) in String(format: number >= 100 ? "%.0f" : "%.2f", number) }
        var text = "\(name.padding(toLength: 52, withPad: " ", startingAt: 0)) ours \(value(ours)) \(unit)"
        if peer > 0 {
            text += "  peer(\(peerName)) \(value(peer))  advantage \(String(format: "%.2f", advantage))x"
        }
        if targetRatio > 0 { text += "  target \(String(format: "%.2f", targetRatio))x" }
        return text
    }
}

struct Report: Codable {
    var machine: String
    var metrics: [Metric]
}

func machineDescription() -> String {
    let info = ProcessInfo.processInfo
    var cpu = "unknown CPU"
    if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
       let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
       let name = line.split(separator: ":", maxSplits: 1).last {
        cpu = name.trimmingCharacters(in: .whitespaces)
    }
    return "\(info.activeProcessorCount) cores, \(cpu), \(info.physicalMemory >> 30) GiB, \(info.operatingSystemVersionString)"
}
