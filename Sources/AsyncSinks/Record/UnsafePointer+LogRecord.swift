extension UnsafePointer<LogRecord> {
    /// Calls `body` with the record at this address as an owned value, without copying it.
    ///
    /// A record borrowed through a pointer is copied (every string and array in it retained, then
    /// released) whenever the code using it calls a function the compiler cannot see into, since that
    /// function might write to the record's memory. Here the record's bits are taken as a value and put
    /// back unchanged when `body` returns; the memory itself is never modified. Unlike
    /// ``UnsafePointer/withBitwiseCopy(_:)``, nothing is copied, so it is for records no other
    /// thread reads meanwhile.
    ///
    /// - Parameter body: Receives the record; it must not keep it beyond the call.
    /// - Returns: What `body` returns.
    @inlinable @inline(__always)
    func withRecord<Result>(_ body: (LogRecord) -> Result) -> Result {
        let slot = UnsafeMutablePointer(mutating: self)
        let record = slot.move()
        let result = body(record)
        slot.initialize(to: record)
        return result
    }
}
