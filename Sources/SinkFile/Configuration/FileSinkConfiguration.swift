public import AsyncSinks

/// The configuration of a ``FileSink``: where to write, how lines look, and how files are rotated,
/// kept, compressed and synced.
public struct FileSinkConfiguration: Sendable {
    /// The active file's path (absolute, or relative to the working directory at creation). Rotated
    /// files are created next to it. No default.
    public var path: String

    /// The formatter that turns each record into one line. Default: `LogfmtFormatter()` (`.logfmt`):
    /// one `key=value` line per record, readable with `grep` and `less` and parseable by log shippers
    /// without a schema. Use `.json` for JSON lines or `.text` for a console-like layout.
    public var formatter: any LogFormatter

    /// When to start a new file. Default: ``FileRotationPolicy/default`` (64 MiB, no time interval).
    public var rotation: FileRotationPolicy

    /// Which rotated files to keep. Default: ``FileRetentionPolicy/default`` (10 files).
    public var retention: FileRetentionPolicy

    /// Whether to compress rotated files. Default: ``FileCompression/none``.
    public var compression: FileCompression

    /// When to push written data to the disk. Default: ``FileSyncPolicy/none``.
    public var sync: FileSyncPolicy

    /// Whether disk space is reserved ahead of the active file's end, which makes each write cheaper.
    /// Default: ``FilePreallocation/default`` (steps of 8 MiB, given back at rotation and close).
    public var preallocation: FilePreallocation

    /// The mode of files the sink creates (subject to the process umask). Default: `0o640`.
    public var filePermissions: UInt32

    /// The mode of parent directories the sink creates. Default: `0o750`.
    public var directoryPermissions: UInt32

    /// Whether missing parent directories are created. Default: `true`.
    public var createDirectories: Bool

    /// How often the sink compares the open file with the path (inode, device and size) to detect an
    /// external rotation (the file was moved or deleted) or truncation, and reopens the path when it
    /// changed. The check runs at the start of a batch when at least this much time passed since the
    /// last one; `.zero` checks every batch; `nil` never checks (call ``FileSink/reopen()`` from a
    /// `SIGHUP` handler instead). Default: one second.
    public var externalChangeCheckInterval: Duration?

    /// The largest single `write(2)`: a batch larger than this is written in chunks of this size
    /// (between lines when possible). Default: 1 MiB.
    public var maxWriteBytes: Int

    /// The clock for time-based rotation, sync intervals, change checks and retention ages.
    /// Default: `.system`.
    public var clock: PipelineClock

    /// Callbacks for rotation, compression, deletion and reopen events. Default: none.
    public var hooks: FileSinkHooks

    /// How long ``FileSink/close()`` waits for queued compressions and retention passes after closing
    /// the file; `nil` waits until they are done. Work still running then goes on in the background,
    /// and a compression that the process's exit cuts short is done again at the next start (see
    /// "Compression and crashes" on ``FileSink``), so no line is lost either way. Default: 30 seconds.
    public var closeTimeout: Duration?

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - path: The active file's path.
    ///   - formatter: The line formatter (default logfmt).
    ///   - rotation: When to start a new file.
    ///   - retention: Which rotated files to keep.
    ///   - compression: Whether to compress rotated files.
    ///   - sync: When to push data to the disk.
    ///   - preallocation: Whether to reserve disk space ahead of the file's end.
    ///   - filePermissions: The mode of created files.
    ///   - directoryPermissions: The mode of created directories.
    ///   - createDirectories: Whether missing parent directories are created.
    ///   - externalChangeCheckInterval: How often to check for external rotation, or `nil`.
    ///   - maxWriteBytes: The largest single write.
    ///   - clock: The clock.
    ///   - hooks: Event callbacks.
    ///   - closeTimeout: How long closing waits for background work, or `nil` for as long as it takes.
    public init(
        path: String,
        formatter: any LogFormatter = LogfmtFormatter(),
        rotation: FileRotationPolicy = .default,
        retention: FileRetentionPolicy = .default,
        compression: FileCompression = .none,
        sync: FileSyncPolicy = .none,
        preallocation: FilePreallocation = .default,
        filePermissions: UInt32 = 0o640,
        directoryPermissions: UInt32 = 0o750,
        createDirectories: Bool = true,
        externalChangeCheckInterval: Duration? = .seconds(1),
        maxWriteBytes: Int = 1024 * 1024,
        clock: PipelineClock = .system,
        hooks: FileSinkHooks = .none,
        closeTimeout: Duration? = .seconds(30)
    ) {
        self.path = path
        self.formatter = formatter
        self.rotation = rotation
        self.retention = retention
        self.compression = compression
        self.sync = sync
        self.preallocation = preallocation
        self.filePermissions = filePermissions
        self.directoryPermissions = directoryPermissions
        self.createDirectories = createDirectories
        self.externalChangeCheckInterval = externalChangeCheckInterval
        self.maxWriteBytes = maxWriteBytes
        self.clock = clock
        self.hooks = hooks
        self.closeTimeout = closeTimeout
    }
}
