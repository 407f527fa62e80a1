import CMallocCounter
import Foundation
import Testing

/// Metric 3 reads the interposed malloc counter; a counter that saw nothing would make every
/// result zero.
@Suite struct AllocationSuiteTests {
    @Test func theCounterSeesTheCallingThreadsAllocations() {
        let before = malloc_counter_thread_allocations()
        for _ in 0..<10 {
            let block = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
            block.deallocate()
        }
        #expect(malloc_counter_thread_allocations() - before == 10)
    }

    @Test func theCounterLeavesOutOtherThreads() {
        let before = malloc_counter_thread_allocations()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            for _ in 0..<100 {
                let block = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
                block.deallocate()
            }
            done.signal()
        }
        done.wait()
        #expect(malloc_counter_thread_allocations() - before < 10)
    }
}
