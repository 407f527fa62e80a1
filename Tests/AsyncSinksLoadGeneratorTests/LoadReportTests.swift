import AsyncSinksLoadGenerator
import Testing

@Suite("LoadReport")
struct LoadReportTests {
    private let report = LoadReport(
        total: 1000,
        elapsedSeconds: 0.5,
        sinks: [
            SinkOutcome(name: "file", accepted: 1000, written: 1000, expectedAccepted: 1000),
            SinkOutcome(
                name: "loki", accepted: 800, written: 790, dropped: ["queue_full": 6, "evicted": 4], expectedAccepted: 800
            ),
        ],
        problems: []
    )

    @Test("The JSON report is one object with totals and per-sink counters")
    func json() {
        #expect(report.json == """
            {"total": 1000, "elapsed_seconds": 0.500000, "records_per_second": 2000.0, "ok": true, "problems": [], \
            "sinks": [{"name": "file", "accepted": 1000, "written": 1000, "dropped": 0, "failed": 0, "pending": 0, \
            "dropped_by_reason": {}}, {"name": "loki", "accepted": 800, "written": 790, "dropped": 10, "failed": 0, \
            "pending": 0, "dropped_by_reason": {"evicted": 4, "queue_full": 6}}]}
            """)
    }

    @Test("Problems are listed in the JSON report, escaped")
    func jsonProblems() {
        var failed = report
        failed.problems = ["loki: 2 records failed \"x\""]
        #expect(failed.json.contains("\"ok\": false, \"problems\": [\"loki: 2 records failed \\\"x\\\"\"]"))
    }

    @Test("The text report shows every sink and the verdict")
    func text() {
        #expect(report.text == """
            1000 records in 0.500 s (2000 records/s)
              file  accepted=1000 written=1000 dropped=0 failed=0
              loki  accepted=800 written=790 dropped=10 (evicted=4 queue_full=6) failed=0
            ok: every record is accounted for
            """)
    }
}
