package import Dispatch

/// File work started on a dispatch queue, whose result ``wait()`` returns once it is done.
///
/// ``GzipFile`` reads and writes with it while it deflates. The work's result is written before
/// the work signals its end and read only after waiting for that signal, so it is never accessed
/// from two threads at once.
package final class PendingFileWork<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Value, GzipError> = .failure(GzipError("the file work did not run"))

    /// Starts `work` on `queue`.
    ///
    /// - Parameters:
    ///   - queue: Where the work runs.
    ///   - work: The file work; it returns a value (the bytes read, for example) or throws.
    package init(on queue: DispatchQueue, _ work: @escaping @Sendable () throws(GzipError) -> Value) {
        queue.async {
            self.result = Result(catching: work)
            self.done.signal()
        }
    }

    /// Waits for the work to finish; later calls return at once.
    ///
    /// - Returns: What the work returned, or the error it threw.
    package func wait() -> Result<Value, GzipError> {
        done.wait()
        done.signal()
        return result
    }
}
