import AsyncSinksGzip
import Dispatch
import Testing

@Suite("PendingFileWork")
struct PendingFileWorkTests {
    @Test("wait returns what the work returned, as often as it is called")
    func returnsTheValue() throws {
        let work = PendingFileWork(on: DispatchQueue(label: "test")) { () throws(GzipError) -> Int in 4096 }
        #expect(try work.wait().get() == 4096)
        #expect(try work.wait().get() == 4096)
    }

    @Test("wait returns the error the work threw, with its message and code")
    func returnsTheError() {
        let work = PendingFileWork(on: DispatchQueue(label: "test")) { () throws(GzipError) -> Int in
            throw GzipError("cannot write /tmp/x.gz: No space left on device", code: 28)
        }
        guard case .failure(let error) = work.wait() else {
            Issue.record("the work's error was lost")
            return
        }
        #expect(error.message == "cannot write /tmp/x.gz: No space left on device")
        #expect(error.code == 28)
    }

    @Test("the work runs on the queue, not in the caller")
    func runsOnTheQueue() throws {
        let queue = DispatchQueue(label: "test")
        let key = DispatchSpecificKey<Int>()
        queue.setSpecific(key: key, value: 7)
        let work = PendingFileWork(on: queue) { () throws(GzipError) -> Int in DispatchQueue.getSpecific(key: key) ?? 0 }
        #expect(try work.wait().get() == 7)
        #expect(DispatchQueue.getSpecific(key: key) == nil)
    }
}
