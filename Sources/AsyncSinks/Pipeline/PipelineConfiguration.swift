/// How a ``LogPipeline`` runs: its threads, its intake, its clock and its hooks.
public struct PipelineConfiguration: Sendable {
    /// The threads kept to run distribution and sink work. More are started while sinks block, up to
    /// one per sink beyond these, and retire when idle. Default: 2.
    public var workerCount: Int
    /// The number of intake shards; logging threads are spread over them round-robin. Default: 8.
    public var intakeShards: Int
    /// The records one intake shard holds before a logging thread waits for the pipeline to catch up.
    /// Default: 8192.
    ///
    /// The storage of each shard in use, and each of the eight spare storages the pipeline swaps in
    /// when it moves a shard, grows with the records moved at once, up to this many (rounded up to a
    /// power of two) at about 300 bytes each, and is kept while the pipeline runs: at 8192 records,
    /// about 2.4 MiB each. Every spare grows to the largest storage in use only up to an eighth of
    /// this capacity; beyond that, only the storages a burst passes through grow.
    public var intakeShardCapacity: Int
    /// How often records are moved from the intake to the sinks while records arrive. Under load they
    /// are moved more often (see ``minimumIntakeInterval``), and a shard that fills to half its
    /// capacity is moved at once. Default: 2 ms.
    public var intakeInterval: Duration
    /// The shortest interval between moves from the intake under load. While more than 128 records
    /// arrive per ``intakeInterval``, the interval shrinks so that one move takes about 128 records,
    /// down to this bound; small moves keep the pipeline's working memory in the processors' caches
    /// and its work in short slices, which keeps logging threads fast with several sinks. Set it to
    /// ``intakeInterval`` for a fixed interval. Default: 250 µs.
    public var minimumIntakeInterval: Duration
    /// How long the intake keeps ticking without records before the pipeline goes fully idle (no timer,
    /// no thread awake); the next record wakes it. Default: 250 ms.
    public var idleAfter: Duration
    /// The source of wall-clock and monotonic time. Default: ``PipelineClock/system``.
    public var clock: PipelineClock
    /// Callbacks reporting what happens. Default: none.
    public var hooks: PipelineHooks
    /// Returns a random number in `0..<1` for retry jitter. Default: the system generator.
    public var randomUnit: @Sendable () -> Double

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - workerCount: The threads kept (at least 1).
    ///   - intakeShards: The number of intake shards (at least 1).
    ///   - intakeShardCapacity: The records one shard holds.
    ///   - intakeInterval: How often the intake is moved while records arrive.
    ///   - minimumIntakeInterval: The shortest interval between moves under load (at most `intakeInterval`).
    ///   - idleAfter: How long without records before the pipeline goes idle.
    ///   - clock: The time source.
    ///   - hooks: The callbacks.
    ///   - randomUnit: The jitter's random source.
    public init(
        workerCount: Int = 2,
        intakeShards: Int = 8,
        intakeShardCapacity: Int = 8192,
        intakeInterval: Duration = .milliseconds(2),
        minimumIntakeInterval: Duration = .microseconds(250),
        idleAfter: Duration = .milliseconds(250),
        clock: PipelineClock = .system,
        hooks: PipelineHooks = .none,
        randomUnit: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.workerCount = max(1, workerCount)
        self.intakeShards = max(1, intakeShards)
        self.intakeShardCapacity = max(2, intakeShardCapacity)
        self.intakeInterval = max(.microseconds(1), intakeInterval)
        self.minimumIntakeInterval = min(self.intakeInterval, max(.microseconds(1), minimumIntakeInterval))
        self.idleAfter = max(.zero, idleAfter)
        self.clock = clock
        self.hooks = hooks
        self.randomUnit = randomUnit
    }

    /// Two workers, eight shards of 8192 records, a 2 ms tick (down to 250 µs under load), idle after
    /// 250 ms, system clock, no hooks.
    public static let `default` = PipelineConfiguration()
}
