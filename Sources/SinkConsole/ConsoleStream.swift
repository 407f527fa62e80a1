public import AsyncSinks

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ConsoleSink {
    /// Where a ``ConsoleSink`` writes: standard output, standard error, both split by level, or any
    /// file descriptor.
    ///
    /// The sink never opens or closes the descriptors; the process (or the caller, for
    /// ``fileDescriptor(_:)``) owns them and must keep them open while the sink writes.
    public struct Stream: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case single(Int32)
            case split(threshold: LogLevel, below: Int32, atOrAbove: Int32)
        }

        private let base: Base

        private init(base: Base) {
            self.base = base
        }

        /// Every record to standard output (file descriptor 1).
        public static let standardOutput = Stream(base: .single(STDOUT_FILENO))

        /// Every record to standard error (file descriptor 2).
        public static let standardError = Stream(base: .single(STDERR_FILENO))

        /// Every record to a file descriptor the caller opened, such as a file or a pipe.
        ///
        /// - Parameter descriptor: An open descriptor; the caller keeps it open while the sink writes
        ///   and closes it after the pipeline is closed.
        /// - Returns: The stream.
        public static func fileDescriptor(_ descriptor: Int32) -> Stream {
            Stream(base: .single(descriptor))
        }

        /// Records at or above `threshold` to standard error, the others to standard output.
        ///
        /// - Parameter threshold: The lowest level sent to standard error (default `.warning`).
        /// - Returns: The stream.
        public static func splitByLevel(threshold: LogLevel = .warning) -> Stream {
            Stream(base: .split(threshold: threshold, below: STDOUT_FILENO, atOrAbove: STDERR_FILENO))
        }

        /// Records at or above `threshold` to one descriptor, the others to another.
        ///
        /// - Parameters:
        ///   - threshold: The lowest level sent to `atOrAbove` (default `.warning`).
        ///   - below: The descriptor for records below the threshold.
        ///   - atOrAbove: The descriptor for records at or above the threshold.
        /// - Returns: The stream.
        public static func splitByLevel(threshold: LogLevel = .warning, below: Int32, atOrAbove: Int32) -> Stream {
            Stream(base: .split(threshold: threshold, below: below, atOrAbove: atOrAbove))
        }

        /// The descriptor for records below the split threshold, or for every record when not split.
        var primaryDescriptor: Int32 {
            switch base {
            case .single(let descriptor): descriptor
            case .split(_, let below, _): below
            }
        }

        /// The descriptor for records at or above the threshold, with the threshold, when split.
        var split: (threshold: LogLevel, descriptor: Int32)? {
            switch base {
            case .single: nil
            case .split(let threshold, _, let atOrAbove): (threshold, atOrAbove)
            }
        }

        /// A readable name for a descriptor, used in error messages.
        static func name(of descriptor: Int32) -> String {
            switch descriptor {
            case STDOUT_FILENO: "standard output"
            case STDERR_FILENO: "standard error"
            default: "file descriptor \(descriptor)"
            }
        }

        /// Where the stream writes, such as `standard error` or
        /// `standard error from warning up, standard output below`.
        public var description: String {
            switch base {
            case .single(let descriptor):
                Self.name(of: descriptor)
            case .split(let threshold, let below, let atOrAbove):
                "\(Self.name(of: atOrAbove)) from \(threshold.name) up, \(Self.name(of: below)) below"
            }
        }
    }
}
