import Foundation
@testable import SinkFile
import Synchronization

/// The real file system with failures injected on demand.
final class FaultyFileSystem: FileSystem {
    enum Operation: Hashable, Sendable {
        case open, write, sync, truncate, reserve, close, rename, unlink, stat, fstat, list, mkdir, syncDirectory
    }

    private struct Fault {
        var code: Int32
        /// How many calls still fail; `nil` until cleared.
        var remaining: Int?
    }

    private struct State {
        var faults: [Operation: Fault] = [:]
        /// A byte budget after which writes fail: the write that crosses it is shortened.
        var writeBudget: (bytes: Int, code: Int32)?
        var calls: [Operation: Int] = [:]
        /// The last `burst` writes of every `period` writes fail with `code`.
        var periodicWriteFailure: (period: Int, burst: Int, code: Int32)?
        /// The `(offset, length)` of every space reservation asked for, failed ones included.
        var reservations: [(offset: Int64, length: Int64)] = []
    }

    private let real = POSIXFileSystem()
    private let state = Mutex(State())

    /// Makes `operation` fail with `code`, `times` times or until ``clear(_:)``.
    func fail(_ operation: Operation, code: Int32, times: Int? = nil) {
        state.withLock { $0.faults[operation] = Fault(code: code, remaining: times) }
    }

    /// Lets `bytes` more bytes be written (the write crossing the budget is short), then fails
    /// every write with `code` until cleared.
    func failWrites(after bytes: Int, code: Int32) {
        state.withLock { $0.writeBudget = (bytes, code) }
    }

    /// Makes the last `burst` of every `period` writes fail with `code`, until cleared.
    func failWrites(period: Int, burst: Int, code: Int32) {
        state.withLock { $0.periodicWriteFailure = (max(1, period), min(max(0, burst), period), code) }
    }

    func clear(_ operation: Operation) {
        state.withLock { state in
            state.faults[operation] = nil
            if operation == .write {
                state.writeBudget = nil
                state.periodicWriteFailure = nil
            }
        }
    }

    /// The `(offset, length)` of every space reservation asked for so far, failed ones included.
    var reservations: [(offset: Int64, length: Int64)] {
        state.withLock { $0.reservations }
    }

    func calls(_ operation: Operation) -> Int {
        state.withLock { $0.calls[operation, default: 0] }
    }

    private func check(_ operation: Operation, path: String = "") throws {
        let code: Int32? = state.withLock { state in
            state.calls[operation, default: 0] += 1
            guard var fault = state.faults[operation] else { return nil }
            if let remaining = fault.remaining {
                fault.remaining = remaining - 1
                state.faults[operation] = remaining - 1 > 0 ? fault : nil
            }
            return fault.code
        }
        if let code { throw FileSystemError("\(operation)", path: path, code: code) }
    }

    func open(_ path: String, flags: Int32, mode: UInt32) throws -> Int32 {
        try check(.open, path: path)
        return try real.open(path, flags: flags, mode: mode)
    }

    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws -> Int {
        try check(.write)
        let limit: Int? = try state.withLock { state in
            if let periodic = state.periodicWriteFailure,
               state.calls[.write, default: 0] % periodic.period >= periodic.period - periodic.burst {
                throw FileSystemError("write", path: "", code: periodic.code)
            }
            guard let budget = state.writeBudget else { return nil }
            if budget.bytes == 0 { throw FileSystemError("write", path: "", code: budget.code) }
            let allowed = min(budget.bytes, bytes.count)
            state.writeBudget = (budget.bytes - allowed, budget.code)
            return allowed
        }
        if let limit {
            return try real.write(descriptor, UnsafeRawBufferPointer(rebasing: bytes[0..<limit]))
        }
        return try real.write(descriptor, bytes)
    }

    func syncData(_ descriptor: Int32) throws {
        try check(.sync)
        try real.syncData(descriptor)
    }

    func truncate(_ descriptor: Int32, to length: Int64) throws {
        try check(.truncate)
        try real.truncate(descriptor, to: length)
    }

    func reserveSpace(_ descriptor: Int32, offset: Int64, length: Int64) throws {
        state.withLock { $0.reservations.append((offset, length)) }
        try check(.reserve)
        try real.reserveSpace(descriptor, offset: offset, length: length)
    }

    /// Always true, so that the sink's reservation logic runs whatever file system holds the
    /// temporary directory (on tmpfs the real reservation still works).
    func spaceReservationHelps(_ descriptor: Int32) -> Bool { true }

    func setModificationTime(_ descriptor: Int32, nanosecondsSinceEpoch: Int64) throws {
        try real.setModificationTime(descriptor, nanosecondsSinceEpoch: nanosecondsSinceEpoch)
    }

    func close(_ descriptor: Int32) throws {
        state.withLock { $0.calls[.close, default: 0] += 1 }
        try real.close(descriptor)
    }

    func rename(_ source: String, to destination: String) throws {
        try check(.rename, path: source)
        try real.rename(source, to: destination)
    }

    func unlink(_ path: String) throws {
        try check(.unlink, path: path)
        try real.unlink(path)
    }

    func status(ofPath path: String) throws -> FileStatus {
        try check(.stat, path: path)
        return try real.status(ofPath: path)
    }

    func status(ofDescriptor descriptor: Int32) throws -> FileStatus {
        try check(.fstat)
        return try real.status(ofDescriptor: descriptor)
    }

    func contentsOfDirectory(_ path: String) throws -> [String] {
        try check(.list, path: path)
        return try real.contentsOfDirectory(path)
    }

    func makeDirectory(_ path: String, mode: UInt32) throws {
        try check(.mkdir, path: path)
        try real.makeDirectory(path, mode: mode)
    }

    func syncDirectory(_ path: String) throws {
        try check(.syncDirectory, path: path)
        try real.syncDirectory(path)
    }
}
