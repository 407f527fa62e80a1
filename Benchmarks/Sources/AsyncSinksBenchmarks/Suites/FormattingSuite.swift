import AsyncSinks
import CReferenceFormat
import Foundation

/// Metric 9: logfmt and JSON formatting per record against a hand-written C formatter of the same
/// record, and JSON against Foundation's `JSONEncoder`.
enum FormattingSuite {
    static let baseNanoseconds: Int64 = 1_795_510_800_000_000_000

    static func record(_ index: Int) -> LogRecord {
        LogRecord(
            timestamp: LogTimestamp(nanosecondsSinceEpoch: baseNanoseconds + Int64(index) * 1_000),
            level: .info, message: "request served",
            fields: ["method": "GET", "path": "/api/v1/orders", "status": 200, "ms": 12, "cached": true],
            label: "api", file: "App/OrderHandler.swift", function: "serve()", line: 42
        )
    }

    /// The same record for the C formatter (strings kept alive until `release`).
    final class ReferenceRecord {
        private var strings: [UnsafeMutablePointer<CChar>] = []
        private let fields: UnsafeMutablePointer<ref_field>
        var record: ref_record

        init() {
            var strings: [UnsafeMutablePointer<CChar>] = []
            func text(_ value: String) -> (UnsafePointer<CChar>, Int) {
                let count = value.utf8.count
                let copy = UnsafeMutablePointer<CChar>.allocate(capacity: count + 1)
                value.withCString { copy.initialize(from: $0, count: count + 1) }
                strings.append(copy)
                return (UnsafePointer(copy), count)
            }
            func field(_ key: String, _ kind: ref_kind, string: String = "", integer: Int64 = 0) -> ref_field {
                let keyText = text(key), valueText = text(string)
                return ref_field(key: keyText.0, key_length: keyText.1, kind: kind, string: valueText.0,
                                 string_length: valueText.1, integer: integer)
            }
            fields = .allocate(capacity: 5)
            fields[0] = field("method", REF_STRING, string: "GET")
            fields[1] = field("path", REF_STRING, string: "/api/v1/orders")
            fields[2] = field("status", REF_INT, integer: 200)
            fields[3] = field("ms", REF_INT, integer: 12)
            fields[4] = field("cached", REF_BOOL, integer: 1)
            let level = text("info"), label = text("api"), message = text("request served"), file = text("App/OrderHandler.swift")
            record = ref_record(
                timestamp_ns: FormattingSuite.baseNanoseconds, level: level.0, level_length: level.1, label: label.0,
                label_length: label.1, message: message.0, message_length: message.1, fields: UnsafePointer(fields),
                field_count: 5, file: file.0, file_length: file.1, line: 42
            )
            self.strings = strings
        }

        deinit {
            for string in strings { string.deallocate() }
            fields.deallocate()
        }
    }

    /// The record for `JSONEncoder`: typed fields, timestamp as nanoseconds (the encoder's cheapest case).
    struct CodableRecord: Encodable {
        var time: Int64
        var level: String
        var logger: String
        var msg: String
        var method: String
        var path: String
        var status: Int
        var ms: Int
        var cached: Bool
        var source: String
    }

    /// Records at these indices are compared with the C reference: the first, the next (the cached
    /// second), and the last of a second and the first of the next.
    static let comparedIndices = [0, 1, 999_999, 1_000_000]

    /// Our line and the C reference's for each of ``comparedIndices`` (records 1 µs apart), formatted
    /// one after another through one buffer and one reference state, as the timed loops do.
    ///
    /// - Parameters:
    ///   - json: JSON instead of logfmt.
    ///   - reference: The record for the C formatter.
    /// - Returns: The two lines for each index.
    static func referenceLines(json: Bool, reference: ReferenceRecord) -> [(swift: String, c: String)] {
        let output = UnsafeMutablePointer<CChar>.allocate(capacity: 4096)
        defer { output.deallocate() }
        let buffer = LineBuffer(capacity: 4096)
        var state = ref_state()
        ref_state_init(&state)
        var cRecord = reference.record
        return comparedIndices.map { index in
            buffer.removeAll()
            if json { JSONFormatter().format(record(index), into: buffer) } else { LogfmtFormatter().format(record(index), into: buffer) }
            cRecord.timestamp_ns = baseNanoseconds + Int64(index) * 1_000
            let length = json ? ref_format_json(&state, &cRecord, output) : ref_format_logfmt(&state, &cRecord, output)
            return (buffer.string, String(decoding: UnsafeRawBufferPointer(start: output, count: length), as: UTF8.self))
        }
    }

    @inline(never)
    static func swiftFormat(_ formatter: some LogFormatter, records: Int, buffer: LineBuffer) -> Double {
        var record = record(0)
        return timeLoop(iterations: records) { index in
            record.timestamp = LogTimestamp(nanosecondsSinceEpoch: baseNanoseconds + Int64(index) * 1_000)
            buffer.removeAll()
            formatter.format(record, into: buffer)
        }
    }

    @inline(never)
    static func referenceFormat(json: Bool, records: Int, reference: ReferenceRecord, output: UnsafeMutablePointer<CChar>) -> Double {
        var state = ref_state()
        ref_state_init(&state)
        var record = reference.record
        return timeLoop(iterations: records) { index in
            record.timestamp_ns = baseNanoseconds + Int64(index) * 1_000
            _ = json ? ref_format_json(&state, &record, output) : ref_format_logfmt(&state, &record, output)
        }
    }

    @inline(never)
    static func encoderFormat(records: Int) -> Double {
        let encoder = JSONEncoder()
        var value = CodableRecord(
            time: baseNanoseconds, level: "info", logger: "api", msg: "request served", method: "GET",
            path: "/api/v1/orders", status: 200, ms: 12, cached: true, source: "App/OrderHandler.swift:42"
        )
        var total = 0
        let time = timeLoop(iterations: records) { index in
            value.time = baseNanoseconds + Int64(index) * 1_000
            total &+= (try? encoder.encode(value).count) ?? 0
        }
        return total > 0 ? time : 0
    }

    /// Each run interleaves the five formatters in this many rounds, so that a burst of the
    /// machine's noise (a fraction of a second) weighs on ours and on the peers alike instead of
    /// falling on one of them.
    static let roundsPerRun = 10

    static func run(_ options: RunOptions) throws -> [Metric] {
        let reference = ReferenceRecord()
        let output = UnsafeMutablePointer<CChar>.allocate(capacity: 4096)
        defer { output.deallocate() }
        let buffer = LineBuffer(capacity: 4096)

        // The C reference must produce the same bytes, or the comparison means nothing.
        let same = [false, true].map { json in
            referenceLines(json: json, reference: reference).allSatisfy { lines in
                if lines.swift != lines.c { print("   reference differs:\n   swift: \(lines.swift)   c:     \(lines.c)") }
                return lines.swift == lines.c
            }
        }

        let records = options.count(5_000_000, minimum: 1_000_000)
        var logfmt: [Double] = [], logfmtC: [Double] = [], json: [Double] = [], jsonC: [Double] = []
        var encoder: [Double] = []
        let logfmtFormatter = LogfmtFormatter(), jsonFormatter = JSONFormatter()
        let perRound = records / roundsPerRun
        for _ in 0..<options.runs {
            // Per-record times summed over the rounds; divided by the rounds below.
            var sums = (logfmt: 0.0, logfmtC: 0.0, json: 0.0, jsonC: 0.0, encoder: 0.0)
            for _ in 0..<roundsPerRun {
                sums.logfmt += swiftFormat(logfmtFormatter, records: perRound, buffer: buffer)
                sums.logfmtC += referenceFormat(json: false, records: perRound, reference: reference, output: output)
                sums.json += swiftFormat(jsonFormatter, records: perRound, buffer: buffer)
                sums.jsonC += referenceFormat(json: true, records: perRound, reference: reference, output: output)
                sums.encoder += encoderFormat(records: perRound / 20)
            }
            let rounds = Double(roundsPerRun)
            logfmt.append(sums.logfmt / rounds)
            logfmtC.append(sums.logfmtC / rounds)
            json.append(sums.json / rounds)
            jsonC.append(sums.jsonC / rounds)
            encoder.append(sums.encoder / rounds)
        }
        let note = "same bytes as the C reference: logfmt \(same[0]), JSON \(same[1]); \(buffer.count) B JSON line"
        return [
            Metric("9 logfmt format per record vs hand-written C", unit: "ns", ours: logfmt, peer: logfmtC,
                   peerName: "C reference", targetRatio: 1 / 2.5, extraCheck: same[0], note: note),
            Metric("9 JSON format per record vs hand-written C", unit: "ns", ours: json, peer: jsonC,
                   peerName: "C reference", targetRatio: 1 / 2.5, extraCheck: same[1]),
            Metric("9 JSON format per record vs JSONEncoder", unit: "ns", ours: json, peer: encoder,
                   peerName: "Foundation JSONEncoder", targetRatio: 25),
        ]
    }
}
