import AsyncSinks

/// The result of a load run: what was logged, how long it took, and every sink's outcome.
public struct LoadReport: Sendable, Equatable {
    /// Records logged.
    public var total: Int
    /// Seconds from the first record to the end of close.
    public var elapsedSeconds: Double
    /// Every sink's outcome, in registration order.
    public var sinks: [SinkOutcome]
    /// What went wrong (see ``LoadVerdict``); empty when the run passed.
    public var problems: [String]

    /// Creates a report.
    ///
    /// - Parameters:
    ///   - total: Records logged.
    ///   - elapsedSeconds: The run's duration.
    ///   - sinks: Every sink's outcome.
    ///   - problems: What went wrong.
    public init(total: Int, elapsedSeconds: Double, sinks: [SinkOutcome], problems: [String]) {
        self.total = total
        self.elapsedSeconds = elapsedSeconds
        self.sinks = sinks
        self.problems = problems
    }

    /// Whether the run passed.
    public var passed: Bool { problems.isEmpty }

    /// Records per second over the whole run, close included.
    public var rate: Double { elapsedSeconds > 0 ? Double(total) / elapsedSeconds : 0 }

    /// The report as lines for a person.
    public var text: String {
        var lines = ["\(total) records in \(Self.decimal(elapsedSeconds, places: 3)) s (\(Int(rate.rounded())) records/s)"]
        let width = sinks.map(\.name.count).max() ?? 0
        for sink in sinks {
            let padding = String(repeating: " ", count: width - sink.name.count)
            var line = "  \(sink.name)\(padding)  accepted=\(sink.accepted) written=\(sink.written) dropped=\(sink.droppedTotal)"
            let reasons = sink.dropped.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            if !reasons.isEmpty { line += " (" + reasons.joined(separator: " ") + ")" }
            line += " failed=\(sink.failed)"
            if sink.pending > 0 { line += " pending=\(sink.pending)" }
            lines.append(line)
        }
        if problems.isEmpty {
            lines.append("ok: every record is accounted for")
        } else {
            lines.append("FAILED:")
            lines.append(contentsOf: problems.map { "  " + $0 })
        }
        return lines.joined(separator: "\n")
    }

    /// The report as one JSON object:
    /// `{"total": N, "elapsed_seconds": x, "records_per_second": r, "ok": true, "problems": [],
    /// "sinks": [{"name": "...", "accepted": n, "written": n, "dropped": n, "failed": n, "pending": n,
    /// "dropped_by_reason": {"...": n}}]}`.
    public var json: String {
        var out = "{\"total\": \(total), \"elapsed_seconds\": \(Self.decimal(elapsedSeconds, places: 6))"
        out += ", \"records_per_second\": \(Self.decimal(rate, places: 1))"
        out += ", \"ok\": \(problems.isEmpty)"
        out += ", \"problems\": [" + problems.map(Self.quoted).joined(separator: ", ") + "]"
        out += ", \"sinks\": ["
        out += sinks.map { sink in
            let reasons = sink.dropped.sorted { $0.key < $1.key }.map { "\(Self.quoted($0.key)): \($0.value)" }
            return "{\"name\": \(Self.quoted(sink.name)), \"accepted\": \(sink.accepted), \"written\": \(sink.written)"
                + ", \"dropped\": \(sink.droppedTotal), \"failed\": \(sink.failed), \"pending\": \(sink.pending)"
                + ", \"dropped_by_reason\": {" + reasons.joined(separator: ", ") + "}}"
        }.joined(separator: ", ")
        out += "]}"
        return out
    }

    /// A non-negative finite number with a fixed number of decimals, without Foundation.
    static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite, value >= 0 else { return "0" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (value * scale).rounded()
        guard scaled < 9e15 else { return String(Int(value)) }
        let units = Int(scaled)
        let whole = units / Int(scale)
        guard places > 0 else { return String(whole) }
        let fraction = String(units % Int(scale))
        return "\(whole)." + String(repeating: "0", count: places - fraction.count) + fraction
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        let buffer = LineBuffer(capacity: text.utf8.count + 16)
        FieldEncoding.appendJSONString(text, to: buffer)
        return buffer.string
    }
}
