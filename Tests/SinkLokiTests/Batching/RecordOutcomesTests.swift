import AsyncSinks
@testable import SinkLoki
import Testing

@Suite("RecordOutcomes")
struct RecordOutcomesTests {
    static func describe(_ outcome: RecordOutcome?) -> String {
        switch outcome {
        case nil: "unmarked"
        case .written?: "written"
        case .dropped(let reason)?: "dropped:\(reason.name)"
        case .failed(let error)?: "failed:\(error)"
        }
    }

    @Test("keeps each record's outcome, with its reason or error, and reports them in index order")
    func keepsOutcomes() {
        var outcomes = RecordOutcomes(count: 5)
        #expect(outcomes.count == 5)
        #expect((0..<5).allSatisfy { outcomes.isUnmarked($0) })
        outcomes[3] = .written
        outcomes[1] = .dropped(.lokiLineTooLong)
        outcomes[4] = .failed(.permanent("refused"))
        #expect((0..<5).map { Self.describe(outcomes[$0]) }
            == ["unmarked", "dropped:\(DropReason.lokiLineTooLong.name)", "unmarked", "written", "failed:\(LogSinkError.permanent("refused"))"])
        #expect(!outcomes.isUnmarked(1) && outcomes.isUnmarked(2))
        var marked: [Int] = []
        outcomes.forEachMarked { index, _ in marked.append(index) }
        #expect(marked == [1, 3, 4])
        #expect(outcomes.dropReasons == [.lokiLineTooLong])
    }

    @Test("a new outcome replaces the previous one, reason included")
    func replacesOutcomes() {
        var outcomes = RecordOutcomes(count: 2)
        outcomes[0] = .dropped(.lokiServerDiscarded)
        outcomes[0] = .written
        outcomes[1] = .failed(.permanent("x"))
        outcomes[1] = nil
        #expect(Self.describe(outcomes[0]) == "written")
        #expect(outcomes.isUnmarked(1))
        #expect(outcomes.dropReasons.isEmpty)
        outcomes[7] = .written
        #expect(outcomes[7] == nil)
        #expect(outcomes.count == 2)
    }
}
