#if ServiceLifecycle
public import AsyncSinks

extension PipelineService {
    /// How the service closes its pipeline.
    public struct Configuration: Sendable {
        /// The longest time closing may take; records still undelivered then are dropped with reason
        /// `shutdown` and counted in the report. Default: 5 seconds.
        public var closeTimeout: Duration
        /// Called once with the close report, for example to log or print what could not be delivered.
        /// Default: `nil`.
        public var onClose: (@Sendable (CloseReport) -> Void)?

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - closeTimeout: The longest time closing may take.
        ///   - onClose: Receives the close report.
        public init(closeTimeout: Duration = .seconds(5), onClose: (@Sendable (CloseReport) -> Void)? = nil) {
            self.closeTimeout = closeTimeout
            self.onClose = onClose
        }

        /// A 5-second close deadline, no report callback.
        public static let `default` = Configuration()
    }
}
#endif
