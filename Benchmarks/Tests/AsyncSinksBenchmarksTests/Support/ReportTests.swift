import Foundation
import Testing

@testable import asyncsinks_benchmarks

@Suite struct ReportTests {
    @Test func theRatioIsTheMedianOfEachRunsAdvantage() {
        // Lower is better. The runs' advantages are 10/1, 40/2 and 8/4 (10, 20, 2; median 10), while
        // the ratio of the medians would be 10/2 = 5, under the target.
        let metric = Metric("m", unit: "ns", ours: [1, 2, 4], peer: [10, 40, 8], peerName: "p", targetRatio: 6)
        #expect(metric.ours == 2)
        #expect(metric.peer == 10)
        #expect(metric.ratio == 10)
        #expect(metric.met == true)
        #expect(metric.runs == 3)
    }

    @Test func higherIsBetterTakesOursOverThePeer() {
        let metric = Metric("m", unit: "MB/s", ours: [80, 90, 85], peer: [100, 100, 100], targetRatio: 0.8, lowerIsBetter: false)
        #expect(metric.ratio == 0.85)
        #expect(metric.met == true)
        let missed = Metric("m", unit: "MB/s", ours: [70, 78], peer: [100, 100], targetRatio: 0.8, lowerIsBetter: false)
        #expect(missed.met == false)
    }

    @Test func everyTargetMustHold() {
        // Ratio met, bound missed.
        #expect(Metric("m", unit: "ns", ours: [150], peer: [10_000], targetRatio: 40, bound: 100).met == false)
        // Bound met, ratio missed.
        #expect(Metric("m", unit: "ns", ours: [90], peer: [1_000], targetRatio: 40, bound: 100).met == false)
        // Both met, but the metric's own check (say, records lost) failed.
        #expect(Metric("m", unit: "ns", ours: [90], peer: [10_000], targetRatio: 40, bound: 100, extraCheck: false).met == false)
        #expect(Metric("m", unit: "ns", ours: [90], peer: [10_000], targetRatio: 40, bound: 100, extraCheck: true).met == true)
        // A lower bound for rates.
        #expect(Metric("m", unit: "lines/s", ours: [3.9e6], lowerIsBetter: false, bound: 4e6).met == false)
    }

    @Test func aMetricWithoutATargetIsNeitherMetNorMissed() {
        let metric = Metric("m", unit: "ns", ours: [3, 1, 2])
        #expect(metric.met == nil)
        #expect(metric.ours == 2)
        #expect(metric.ratio == 0)
        #expect(!metric.line.contains("MET") && !metric.line.contains("MISSED"))
    }

    @Test func theNoteEndsWithTheSingleRunsSpread() {
        let metric = Metric("m", unit: "ns", ours: [10, 10, 10, 10, 10], peer: [8, 9, 10, 11, 12], targetRatio: 0.91, note: "0 lost")
        #expect(metric.note == "0 lost; single runs' ratios 0.80-1.20x, 2 of 5 under the target")
        #expect(metric.ratio == 1)
    }

    @Test func theLineShowsOursThePeerTheRatioTheTargetAndTheResult() {
        let metric = Metric(
            "1 caller latency p50", unit: "ns", ours: [36.5], peer: [5_044], peerName: "StreamLogHandler", targetRatio: 40,
            bound: 100, note: "0 records lost"
        )
        #expect(metric.line.hasPrefix("1 caller latency p50" + String(repeating: " ", count: 38)))
        #expect(metric.line.hasSuffix(
            "ours 36.5 ns | StreamLogHandler 5044 | ratio 138.19x | target ratio >= 40.00x, <= 100.0 ns | MET | 0 records lost"
        ))
        let missed = Metric("8 bytes", unit: "MB/s", ours: [4_000], peer: [6_000], targetRatio: 0.8, lowerIsBetter: false)
        #expect(missed.line.contains("| ratio 0.67x | target ratio >= 0.80x | MISSED"))
    }

    @Test func aPendingMetricSaysWhy() {
        let metric = Metric.pending("gzip", unit: "", note: "failed: no space")
        #expect(metric.met == nil)
        #expect(metric.runs == 0)
        #expect(metric.line.hasSuffix("PENDING  failed: no space"))
    }

    @Test func theReportsJSONHasTheDocumentedKeys() throws {
        let metric = Metric("m", unit: "ns", ours: [1, 2], peer: [4, 4], peerName: "p", targetRatio: 2, bound: 5, note: "n")
        let report = Report(machine: "2 cores", load: "0.1 before", date: "2026-12-07T00:00:00Z", quick: false, metrics: [metric])
        let data = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["machine", "load", "date", "quick", "metrics"])
        #expect(object["machine"] as? String == "2 cores")
        let metrics = try #require(object["metrics"] as? [[String: Any]])
        let first = try #require(metrics.first)
        #expect(Set(first.keys) == [
            "name", "unit", "ours", "peer", "peer_name", "target_ratio", "ratio", "lower_is_better", "bound", "met", "runs",
            "note",
        ])
        #expect(first["peer_name"] as? String == "p")
        #expect(first["target_ratio"] as? Double == 2)
        #expect(first["ours"] as? Double == 1.5)
        #expect(first["met"] as? Bool == true)
    }

    @Test func theMachineNamesTheCPUsFamilyModelAndCache() {
        let text = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            cpu family\t: 25
            model\t\t: 17
            model name\t: AMD EPYC
            cache size\t: 1024 KB

            processor\t: 1
            model name\t: other
            """
        let fields = cpuInfoFields(text)
        #expect(fields["model name"] == "AMD EPYC")
        #expect(fields["cpu family"] == "25")
        #expect(fields["model"] == "17")
        #expect(fields["cache size"] == "1024 KB")
        #expect(machineDescription().contains("cores, "))
    }
}
