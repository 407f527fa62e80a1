#if SwiftMetrics
public import CoreMetrics

extension PipelineMetrics {
    /// How ``PipelineMetrics`` names its metrics and where it creates them.
    public struct Configuration: Sendable {
        /// The prefix of every metric's label, followed by `_`. Default: `"asyncsinks"`.
        public var prefix: String
        /// Dimensions added to every metric, after the `sink` (and `reason`) dimensions, for example
        /// `[("service", "checkout")]`. Default: none.
        public var dimensions: [(String, String)]
        /// The factory that creates the metrics, or `nil` for the one bootstrapped with
        /// `MetricsSystem.bootstrap` (read when ``PipelineMetrics`` is created). Default: `nil`.
        public var factory: (any MetricsFactory)?

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - prefix: The label prefix.
        ///   - dimensions: Dimensions added to every metric.
        ///   - factory: The metrics factory, or `nil` for the bootstrapped one.
        public init(prefix: String = "asyncsinks", dimensions: [(String, String)] = [], factory: (any MetricsFactory)? = nil) {
            self.prefix = prefix
            self.dimensions = dimensions
            self.factory = factory
        }

        /// The prefix `asyncsinks`, no extra dimensions, the bootstrapped factory.
        public static let `default` = Configuration()
    }
}
#endif
