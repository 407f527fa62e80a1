import AsyncSinks
import AsyncSinksGzip
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The file sink's background housekeeping: compression of rotated files, retention, and recovery
/// of what a crash left behind. Jobs run one at a time on a serial queue owned by the sink, so the
/// thread that writes never waits for them, and compression and retention never race each other.
final class FileMaintenance: Sendable {
    private let naming: FileNamingScheme
    private let fileSystem: any FileSystem
    private let gzipLevel: Int32?
    private let retention: FileRetentionPolicy
    private let filePermissions: UInt32
    private let clock: PipelineClock
    private let hooks: FileSinkHooks
    private let queue: DispatchQueue
    private let group = DispatchGroup()

    init(configuration: FileSinkConfiguration, naming: FileNamingScheme, fileSystem: any FileSystem) {
        self.naming = naming
        self.fileSystem = fileSystem
        self.gzipLevel = configuration.compression.gzipLevel
        self.retention = configuration.retention
        self.filePermissions = configuration.filePermissions
        self.clock = configuration.clock
        self.hooks = configuration.hooks
        self.queue = DispatchQueue(label: "asyncsinks.file-sink.maintenance")
    }

    /// Scans the directory at start: removes unfinished compressions (`.gz.tmp`), removes originals
    /// whose compressed copy is complete, queues the compression of originals that lack one, and
    /// returns the highest sequence number in use (0 when there is none).
    func recover() -> Int {
        guard let names = try? fileSystem.contentsOfDirectory(naming.directory) else { return 0 }
        let parsed = names.compactMap { naming.parse($0) }
        let compressed = Set(parsed.filter { $0.state == .compressed }.map(\.baseName))
        var highest = 0
        var toCompress: [String] = []
        for file in parsed {
            highest = max(highest, file.sequence)
            switch file.state {
            case .temporary:
                try? fileSystem.unlink(naming.path(of: file.name))
            case .plain where compressed.contains(file.baseName):
                // The .gz is published by a rename after fsync, so when it exists it is complete.
                try? fileSystem.unlink(naming.path(of: file.name))
            case .plain:
                if gzipLevel != nil { toCompress.append(file.name) }
            case .compressed:
                break
            }
        }
        for name in toCompress.sorted() { enqueueCompression(of: name) }
        return highest
    }

    /// Queues the compression of a rotated file, when compression is on.
    func enqueueCompression(of rotatedName: String) {
        guard let level = gzipLevel else { return }
        group.enter()
        queue.async { [self] in
            defer { group.leave() }
            compress(rotatedName, level: level)
        }
    }

    /// Queues a retention pass, when retention has limits.
    func enqueueRetention() {
        guard !retention.isUnlimited else { return }
        group.enter()
        queue.async { [self] in
            defer { group.leave() }
            applyRetention()
        }
    }

    /// Waits until every queued job finished.
    ///
    /// - Parameter timeout: The longest wait, or `nil` to wait as long as it takes.
    /// - Returns: Whether the queue became idle in time.
    func waitUntilIdle(timeout: Duration?) -> Bool {
        guard let timeout else {
            group.wait()
            return true
        }
        let nanoseconds = max(0, min(timeout.wholeNanoseconds, Int64(Int.max)))
        return group.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .success
    }

    private func compress(_ rotatedName: String, level: Int32) {
        let source = naming.path(of: rotatedName)
        let temporary = source + FileNamingScheme.temporarySuffix
        let destination = source + FileNamingScheme.compressedSuffix
        do {
            try GzipFile.compress(
                sourcePath: source, destinationPath: temporary, level: level,
                permissions: filePermissions, syncToDisk: true
            )
        } catch let error as GzipError {
            // A file that retention already removed needs no compression.
            if error.code == ENOENT, (try? fileSystem.status(ofPath: source)) == nil { return }
            try? fileSystem.unlink(temporary)
            hooks.compressionFailed?(source, error.message)
            return
        } catch {
            try? fileSystem.unlink(temporary)
            hooks.compressionFailed?(source, String(describing: error))
            return
        }
        do {
            try fileSystem.rename(temporary, to: destination)
        } catch {
            try? fileSystem.unlink(temporary)
            hooks.compressionFailed?(source, "cannot publish \(destination): \(error)")
            return
        }
        // The rename must be durable before the original disappears, or a power loss could leave neither.
        try? fileSystem.syncDirectory(naming.directory)
        do {
            try fileSystem.unlink(source)
        } catch {
            hooks.compressionFailed?(source, "compressed into \(destination) but cannot remove the original: \(error)")
            return
        }
        hooks.compressed?(source, destination)
    }

    private struct Generation {
        var sequence: Int
        var rotatedAtSeconds: Int64
        var names: [String]
        var bytes: Int64
    }

    private func applyRetention() {
        guard let names = try? fileSystem.contentsOfDirectory(naming.directory) else { return }
        var generations: [String: Generation] = [:]
        for name in names {
            guard let file = naming.parse(name) else { continue }
            let size = (try? fileSystem.status(ofPath: naming.path(of: name)))?.size ?? 0
            generations[file.baseName, default: Generation(
                sequence: file.sequence, rotatedAtSeconds: file.rotatedAtSeconds, names: [], bytes: 0
            )].names.append(name)
            generations[file.baseName]?.bytes += size
        }
        var ordered = generations.values.sorted { $0.sequence < $1.sequence }
        var doomed: [Generation] = []
        if let maxAge = retention.maxAge {
            let now = clock.wallNow().seconds
            let limit = maxAge.components.seconds
            ordered.removeAll { generation in
                let expired = now - generation.rotatedAtSeconds > limit
                if expired { doomed.append(generation) }
                return expired
            }
        }
        if let maxFiles = retention.maxFiles, ordered.count > maxFiles {
            doomed.append(contentsOf: ordered.prefix(ordered.count - maxFiles))
            ordered.removeFirst(ordered.count - maxFiles)
        }
        if let maxTotal = retention.maxTotalBytes {
            var total = ordered.reduce(Int64(0)) { $0 + $1.bytes }
            while total > Int64(maxTotal), let oldest = ordered.first {
                doomed.append(oldest)
                total -= oldest.bytes
                ordered.removeFirst()
            }
        }
        for generation in doomed.sorted(by: { $0.sequence < $1.sequence }) {
            for name in generation.names.sorted() {
                let path = naming.path(of: name)
                do {
                    try fileSystem.unlink(path)
                    hooks.deleted?(path)
                } catch {
                    continue
                }
            }
        }
    }
}
