@testable import SinkFile
import Testing

@Suite("FilePreallocation")
struct FilePreallocationTests {
    private let step: Int64 = 64 * 1024

    @Test("a write within the reserved space reserves nothing more")
    func withinReservation() {
        let policy = FilePreallocation.steps(of: 64 * 1024)
        #expect(policy.reservationEnd(writing: 1000, at: 0, reservedEnd: step, limit: nil) == nil)
        #expect(policy.reservationEnd(writing: 1000, at: step - 1000, reservedEnd: step, limit: nil) == nil)
    }

    @Test("a write beyond the reserved space reserves up to the next multiple of the step")
    func nextStep() {
        let policy = FilePreallocation.steps(of: 64 * 1024)
        #expect(policy.reservationEnd(writing: 1, at: 0, reservedEnd: 0, limit: nil) == step)
        #expect(policy.reservationEnd(writing: 1001, at: step - 1000, reservedEnd: step, limit: nil) == 2 * step)
        // A write larger than a step reserves all of it at once.
        #expect(policy.reservationEnd(writing: 3 * step, at: 10, reservedEnd: 0, limit: nil) == 4 * step)
    }

    @Test("the reservation stops at the rotation size limit unless the write itself crosses it")
    func rotationLimit() {
        let policy = FilePreallocation.steps(of: 64 * 1024)
        #expect(policy.reservationEnd(writing: 100, at: 0, reservedEnd: 0, limit: 10_000) == 10_000)
        // A single line larger than the limit goes alone into its file: reserve just that line.
        #expect(policy.reservationEnd(writing: 20_000, at: 0, reservedEnd: 0, limit: 10_000) == 20_000)
    }

    @Test("none never reserves; steps below 64 KiB are raised to it")
    func noneAndMinimum() {
        #expect(FilePreallocation.none.reservationEnd(writing: 100, at: 0, reservedEnd: 0, limit: nil) == nil)
        #expect(FilePreallocation.none.stepBytes == nil)
        #expect(FilePreallocation.steps(of: 1).stepBytes == step)
        #expect(FilePreallocation.default.stepBytes == Int64(8 << 20))
        #expect(FilePreallocation.default.description == "steps(of: 8388608)")
    }
}
