extension UnsafePointer {
    /// Calls `body` with a copy of the value at this address that is made without retaining what
    /// the value references, and dropped without releasing it.
    ///
    /// A value read through a pointer is copied (its strings and arrays retained, then released)
    /// whenever the code using it calls a function the compiler cannot see into, since that function
    /// might write to the memory. Here the value's bits are copied into a local slot and moved out of
    /// it, so the compiler holds a value no one else can reach and passes it on as it is; the bits go
    /// back into the slot when `body` returns, and the slot is freed without destroying them. The
    /// memory at this address is only read, so the value may be shared with other threads.
    ///
    /// The value at this address must stay alive and unchanged until `body` returns, and `body` must
    /// not keep the copy beyond the call (whatever it stores is retained as usual).
    ///
    /// - Parameter body: Receives the copy.
    /// - Returns: What `body` returns.
    @inlinable @inline(__always)
    func withBitwiseCopy<Result>(_ body: (Pointee) throws -> Result) rethrows -> Result {
        try withUnsafeTemporaryAllocation(of: Pointee.self, capacity: 1) { storage in
            guard let slot = storage.baseAddress else { return try body(pointee) }
            UnsafeMutableRawPointer(slot).copyMemory(from: UnsafeRawPointer(self), byteCount: MemoryLayout<Pointee>.size)
            let value = slot.move()
            defer { slot.initialize(to: value) }
            return try body(value)
        }
    }
}
