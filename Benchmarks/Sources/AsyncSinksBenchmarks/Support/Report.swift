import Foundation

/// One benchmark result: ours, the peer measured in the same runs, and the target.
struct Metric: Codable {
    /// What is measured, e.g. "caller latency p50 (file sink) vs StreamLogHandler".
    var name: String
    /// The unit of `ours` and `peer`.
    var unit: String
    /// Our value: the median over the runs.
    var ours: Double
    /// The peer's value measured in the same runs (median), or 0 without a peer.
    var peer: Double
    /// What the peer is.
    var peerName: String
    /// The advantage the target requires (see `advantage`), or 0 when only an absolute bound applies.
    var targetRatio: Double
    /// The median over the runs of each run's advantage: how many times better ours is than the peer
    /// (peer/ours when lower is better, ours/peer otherwise), or 0 without a peer.
    var ratio: Double
    /// Whether smaller values are better.
    var lowerIsBetter: Bool
    /// An absolute bound on `ours` (at most when lower is better, at least otherwise), if any.
    var bound: Double?
    /// Whether every target of the metric is met (nil when there is no target).
    var met: Bool?
    /// How many runs the medians are over.
    var runs: Int
    /// What else the run observed (losses, checks, caveats).
    var note: String

    enum CodingKeys: String, CodingKey {
        case name, unit, ours, peer, ratio, bound, met, runs, note
        case peerName = "peer_name"
        case targetRatio = "target_ratio"
        case lowerIsBetter = "lower_is_better"
    }

    /// Builds a metric from per-run samples: ours and the peer measured in the same run.
    ///
    /// - Parameters:
    ///   - name: What is measured.
    ///   - unit: The unit of the samples.
    ///   - ours: Our value in each run.
    ///   - peer: The peer's value in each run (empty without a peer).
    ///   - peerName: What the peer is.
    ///   - targetRatio: The advantage required, or 0.
    ///   - lowerIsBetter: Whether smaller values are better.
    ///   - bound: An absolute bound on ours, if any.
    ///   - extraCheck: Another condition the target needs (for example nothing lost).
    ///   - note: Observations. With a ratio target and several runs, the single runs' range is appended.
    init(
        _ name: String, unit: String, ours: [Double], peer: [Double] = [], peerName: String = "",
        targetRatio: Double = 0, lowerIsBetter: Bool = true, bound: Double? = nil, extraCheck: Bool? = nil,
        note: String = ""
    ) {
        self.name = name
        self.unit = unit
        self.ours = median(ours)
        self.peer = median(peer)
        self.peerName = peerName
        self.targetRatio = targetRatio
        self.lowerIsBetter = lowerIsBetter
        self.bound = bound
        self.runs = ours.count
        self.note = note
        var advantages: [Double] = []
        for (mine, theirs) in zip(ours, peer) where mine > 0 && theirs > 0 {
            advantages.append(lowerIsBetter ? theirs / mine : mine / theirs)
        }
        self.ratio = median(advantages)
        if targetRatio > 0, advantages.count > 1, let lowest = advantages.min(), let highest = advantages.max() {
            // The median hides how far single runs scatter, which tells a chance miss from a real one.
            let spread = String(
                format: "single runs' ratios %.2f-%.2fx, %d of %d under the target",
                lowest, highest, advantages.filter { $0 < targetRatio }.count, advantages.count
            )
            self.note = Self.joinedNote(note, spread)
        }
        var checks: [Bool] = []
        if targetRatio > 0 { checks.append(ratio >= targetRatio) }
        if let bound { checks.append(lowerIsBetter ? self.ours <= bound : self.ours >= bound) }
        if let extraCheck { checks.append(extraCheck) }
        self.met = checks.isEmpty ? nil : checks.allSatisfy { $0 }
    }

    /// A note made of the parts that say something, joined with "; ".
    ///
    /// - Parameter parts: The parts, in order; empty ones are left out.
    /// - Returns: The note.
    static func joinedNote(_ parts: String...) -> String {
        parts.filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// A metric that could not be measured yet, with the reason.
    static func pending(_ name: String, unit: String, peerName: String = "", targetRatio: Double = 0, note: String) -> Metric {
        var metric = Metric(name, unit: unit, ours: [], peerName: peerName, targetRatio: targetRatio, note: note)
        metric.met = nil
        return metric
    }

    /// One line for the terminal.
    var line: String {
        func value(_ number: Double) -> String {
            if number == 0 { return "0" }
            if number >= 1000 { return String(format: "%.4g", number) }
            if number >= 10 { return String(format: "%.1f", number) }
            return String(format: "%.5g", number)
        }
        var text = name.padding(toLength: 58, withPad: " ", startingAt: 0)
        guard runs > 0 else { return text + "  PENDING  " + note }
        text += "  ours \(value(ours)) \(unit)"
        if peer > 0 { text += " | \(peerName) \(value(peer))" }
        if ratio > 0 { text += " | ratio \(String(format: "%.2f", ratio))x" }
        var targets: [String] = []
        if targetRatio > 0 { targets.append(String(format: "ratio >= %.2fx", targetRatio)) }
        if let bound { targets.append("\(lowerIsBetter ? "<=" : ">=") \(value(bound)) \(unit)") }
        if !targets.isEmpty { text += " | target " + targets.joined(separator: ", ") }
        if let met { text += met ? " | MET" : " | MISSED" }
        if !note.isEmpty { text += " | " + note }
        return text
    }
}

/// The JSON document written after a run.
struct Report: Codable {
    var machine: String
    var load: String
    var date: String
    var quick: Bool
    var metrics: [Metric]
}

/// The CPU, core count, memory and OS of this machine.
///
/// The CPU's family, model and cache size follow its name, because hosts that report the same name
/// (`AMD EPYC`) can differ in speed by a third.
func machineDescription() -> String {
    let info = ProcessInfo.processInfo
    var cpu = "unknown CPU"
    if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) {
        let fields = cpuInfoFields(text)
        if let name = fields["model name"] {
            let details = [("family", "cpu family"), ("model", "model"), ("cache size", "cache size")].compactMap { label, key in
                fields[key].map { "\(label) \($0)" }
            }
            cpu = details.isEmpty ? name : "\(name) (\(details.joined(separator: ", ")))"
        }
    }
    return "\(info.activeProcessorCount) cores, \(cpu), \(info.physicalMemory >> 30) GiB, \(info.operatingSystemVersionString)"
}

/// The first processor's `key: value` lines of /proc/cpuinfo.
func cpuInfoFields(_ text: String) -> [String: String] {
    var fields: [String: String] = [:]
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.isEmpty { break }
        let parts = line.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { continue }
        fields[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: .whitespaces)
    }
    return fields
}

/// The load averages (1, 5, 15 minutes) from /proc/loadavg.
func loadAverage() -> String {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}
