extension ConsoleSink {
    /// Whether the console sink colours its output (with formatters that have colours, such as
    /// ``AsyncSinks/TextFormatter``).
    ///
    /// The decision is made once, when the sink is created, for each descriptor it writes to.
    public struct ColorPolicy: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case automatic
            case always
            case never
        }

        private let base: Base

        /// Colours when the environment asks for them, or else when the descriptor is a terminal:
        /// 1. `FORCE_COLOR` set to a non-empty value turns colours on, except `0` and `false`, which
        ///    turn them off;
        /// 2. otherwise `NO_COLOR` set to a non-empty value turns them off (see no-color.org);
        /// 3. otherwise `TERM=dumb` turns them off;
        /// 4. otherwise colours are on when the descriptor is a terminal (`isatty`).
        public static let automatic = ColorPolicy(base: .automatic)
        /// Always colour, whatever the environment and descriptor.
        public static let always = ColorPolicy(base: .always)
        /// Never colour.
        public static let never = ColorPolicy(base: .never)

        /// Applies the policy.
        ///
        /// - Parameters:
        ///   - isTerminal: Whether the descriptor written to is a terminal.
        ///   - environment: The process environment (only `FORCE_COLOR`, `NO_COLOR` and `TERM` are read).
        /// - Returns: Whether to colour.
        public func usesColors(isTerminal: Bool, environment: [String: String]) -> Bool {
            switch base {
            case .always:
                return true
            case .never:
                return false
            case .automatic:
                if let force = environment["FORCE_COLOR"], !force.isEmpty {
                    return force != "0" && force.lowercased() != "false"
                }
                if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
                if environment["TERM"] == "dumb" { return false }
                return isTerminal
            }
        }

        /// The policy's name: `automatic`, `always` or `never`.
        public var description: String {
            switch base {
            case .automatic: "automatic"
            case .always: "always"
            case .never: "never"
            }
        }
    }
}
