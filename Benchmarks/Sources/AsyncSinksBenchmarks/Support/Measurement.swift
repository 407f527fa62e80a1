#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic time in nanoseconds.
@inline(__always)
func monotonicNanoseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec)
}

/// Percentiles of a sample, in the sample's unit.
struct Percentiles {
    var p50: Double
    var p90: Double
    var p99: Double
    var p999: Double

    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        func at(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.down)))
            return sorted[index]
        }
        p50 = at(0.50)
        p90 = at(0.90)
        p99 = at(0.99)
        p999 = at(0.999)
    }
}

/// The median of several runs' values (0 for none).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Spins for about `nanoseconds` without sleeping, so the pause between timed batches does not
/// hand the core to another thread.
@inline(never)
func pause(nanoseconds: Int64) {
    let end = monotonicNanoseconds() + nanoseconds
    while monotonicNanoseconds() < end {}
}

/// Sleeps for `nanoseconds`.
func sleep(nanoseconds: Int64) {
    var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 { request = remaining }
}

/// Times `batches` batches of `batchSize` calls of `body` and returns each batch's time per call in
/// nanoseconds, spinning `pauseNanoseconds` between batches so that the backend keeps up.
///
/// - Parameters:
///   - batches: How many timed batches.
///   - batchSize: Calls per batch.
///   - pauseNanoseconds: Spin between batches.
///   - body: One call; receives a running call number.
/// - Returns: Nanoseconds per call, one value per batch.
@inline(__always)
func timeBatches(batches: Int, batchSize: Int, pauseNanoseconds: Int64, _ body: (Int) -> Void) -> [Double] {
    var samples: [Double] = []
    samples.reserveCapacity(batches)
    var call = 0
    for _ in 0..<batches {
        let start = monotonicNanoseconds()
        for _ in 0..<batchSize {
            body(call)
            call &+= 1
        }
        let elapsed = monotonicNanoseconds() &- start
        samples.append(Double(elapsed) / Double(batchSize))
        if pauseNanoseconds > 0 { pause(nanoseconds: pauseNanoseconds) }
    }
    return samples
}

/// Time per call in nanoseconds of `iterations` calls of `body` in one tight loop.
@inline(__always)
func timeLoop(iterations: Int, _ body: (Int) -> Void) -> Double {
    let start = monotonicNanoseconds()
    for index in 0..<iterations { body(index) }
    return Double(monotonicNanoseconds() &- start) / Double(iterations)
}

/// How often the calling thread has been preempted so far (involuntary context switches).
func threadPreemptions() -> Int {
    var usage = rusage()
    // RUSAGE_THREAD, which the Glibc module leaves out (it needs _GNU_SOURCE).
    let rusageThread: Int32 = 1
    getrusage(.init(rusageThread), &usage)
    return usage.ru_nivcsw
}

/// CPU time (user + system) of the whole process so far, in nanoseconds.
func processCPUNanoseconds() -> Int64 {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func nanoseconds(_ time: timeval) -> Int64 { Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_usec) * 1_000 }
    return nanoseconds(usage.ru_utime) + nanoseconds(usage.ru_stime)
}

/// A value from /proc/self/status in bytes ("VmRSS", "VmHWM"), or 0.
func processMemory(_ key: String) -> Int {
    (procNumber("/proc/self/status", key: key + ":") ?? 0) * 1024
}

/// The kibibytes the system has read from its disks since it started (`pgpgin` in /proc/vmstat),
/// or nil where there is no such file.
func systemDiskReadKiB() -> Int? {
    procNumber("/proc/vmstat", key: "pgpgin ")
}

/// The number on the line of a /proc file that starts with `key`, or nil.
private func procNumber(_ path: String, key: String) -> Int? {
    guard let file = fopen(path, "r") else { return nil }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard text.hasPrefix(key) else { continue }
        return Int(text.dropFirst(key.count).filter { $0.isNumber })
    }
    return nil
}

/// Resets the peak resident size (VmHWM) to the current resident size.
func resetPeakMemory() {
    guard let file = fopen("/proc/self/clear_refs", "w") else { return }
    fputs("5", file)
    fclose(file)
}

/// Counts the newlines in a file (0 when it cannot be read).
func countLines(path: String) -> Int {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return 0 }
    defer { close(descriptor) }
    let size = 1 << 20
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    defer { buffer.deallocate() }
    var lines = 0
    while true {
        let count = read(descriptor, buffer.baseAddress, size)
        if count <= 0 { break }
        for byte in UnsafeRawBufferPointer(rebasing: buffer[0..<count]) where byte == 0x0A { lines += 1 }
    }
    return lines
}

/// The size of a file in bytes (0 when missing).
func fileSize(path: String) -> Int {
    var status = stat()
    guard stat(path, &status) == 0 else { return 0 }
    return Int(status.st_size)
}

/// A temporary directory whose files are removed with it.
final class TemporaryDirectory {
    let path: String

    init(_ name: String) {
        var template = Array("/tmp/asyncsinks-bench-\(name)-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
            return String(cString: base)
        }
        path = created ?? "/tmp/asyncsinks-bench-\(name)"
    }

    /// Removes every file in the directory.
    func removeFiles() {
        guard let directory = opendir(path) else { return }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { unlink(path + "/" + name) }
        }
        closedir(directory)
    }

    deinit {
        removeFiles()
        rmdir(path)
    }
}

/// Options of a run.
struct RunOptions: Equatable {
    /// Shorter runs (for checking the suite, not for results).
    var quick = false
    /// Runs per metric (medians are over these).
    var runs = 5
    /// Prints the stacks of this many allocations of each allocation run (diagnostics).
    var traceAllocations = 0
    /// Scales the work of each run: 1 for full runs, smaller for quick ones.
    var scale: Double { quick ? 0.2 : 1 }

    /// `full` scaled for the mode, at least `minimum`.
    func count(_ full: Int, minimum: Int = 1) -> Int {
        max(minimum, Int(Double(full) * scale))
    }
}
