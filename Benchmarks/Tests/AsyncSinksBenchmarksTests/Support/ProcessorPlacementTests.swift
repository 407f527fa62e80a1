import Foundation
import Testing

@testable import asyncsinks_benchmarks

@Suite struct ProcessorPlacementTests {
    @Test func theSummaryGroupsRunsByPlacement() {
        let summary = ProcessorPlacement.summary(
            [.near, .far, .near, nil, .moved, .near], values: [4.6, 3.6, 5.1, 9.9, 4.0, 4.9], unit: " M"
        ) { String(format: "%.2f", $0) }
        #expect(summary == "runs by processor placement (far: a cache-line round trip over 150 ns): "
            + "near 3 (4.60-5.10 M), far 1 (3.60 M), moved 1 (4.00 M)")
    }

    @Test func theSummaryIsEmptyWithoutPlacements() {
        #expect(ProcessorPlacement.summary([nil, nil], values: [1, 2], unit: "x") { "\($0)" }.isEmpty)
    }

    @Test func twoRunsTakenTogetherMovedUnlessTheyAgree() {
        #expect(ProcessorPlacement.near.combined(with: .near) == .near)
        #expect(ProcessorPlacement.far.combined(with: .far) == .far)
        #expect(ProcessorPlacement.near.combined(with: .far) == .moved)
        #expect(ProcessorPlacement.far.combined(with: .moved) == .moved)
    }

    @Test func duringReturnsTheBodysResult() {
        let (result, placement) = ProcessorPlacement.during { 42 }
        #expect(result == 42)
        #expect((placement == nil) == (ProcessInfo.processInfo.activeProcessorCount == 1))
    }

    @Test func aRoundTripTakesAPositiveTime() {
        #expect(ProcessorPlacement.roundTripNanoseconds(rounds: 100) > 0)
    }
}
