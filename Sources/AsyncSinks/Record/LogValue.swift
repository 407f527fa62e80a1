/// The typed value of a structured log field.
///
/// Values are written with their type preserved where the output format allows it (JSON numbers and
/// booleans, logfmt unquoted numbers). Literals convert implicitly:
///
/// ```swift
/// logger.info("request served", ["status": 200, "path": "/health", "cached": true, "ms": 1.5])
/// ```
///
/// A ``group(_:)`` nests fields; formatters flatten nested keys with dots (`http.status`).
public enum LogValue: Sendable, Hashable {
    /// A text value.
    case string(String)
    /// A signed integer value.
    case int(Int64)
    /// A floating-point value. Non-finite values are written as the strings `NaN`, `+Inf` and `-Inf`.
    case double(Double)
    /// A boolean value.
    case bool(Bool)
    /// A nested group of fields, flattened with dots when written.
    ///
    /// A group is boxed, so that a value stays as small as a string.
    indirect case group(LogFields)
}

extension LogValue: ExpressibleByStringLiteral {
    @inlinable
    public init(stringLiteral value: String) { self = .string(value) }
}

extension LogValue: ExpressibleByStringInterpolation {}

extension LogValue: ExpressibleByIntegerLiteral {
    @inlinable
    public init(integerLiteral value: Int64) { self = .int(value) }
}

extension LogValue: ExpressibleByFloatLiteral {
    @inlinable
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension LogValue: ExpressibleByBooleanLiteral {
    @inlinable
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension LogValue: ExpressibleByDictionaryLiteral {
    @inlinable
    public init(dictionaryLiteral elements: (String, LogValue)...) {
        self = .group(LogFields(elements))
    }
}

extension LogValue {
    /// Wraps any binary integer, clamping values outside `Int64`'s range.
    ///
    /// - Parameter value: The integer to log.
    @inlinable
    public static func integer(_ value: some BinaryInteger) -> LogValue {
        .int(Int64(clamping: value))
    }

    /// Wraps the `description` of any value.
    ///
    /// - Parameter value: The value whose description is logged as a string.
    @inlinable
    public static func describing(_ value: some CustomStringConvertible) -> LogValue {
        .string(value.description)
    }
}

extension LogValue: CustomStringConvertible {
    /// The value as plain text: strings unquoted, groups as `{key=value ...}`.
    public var description: String {
        switch self {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): number.description
        case .bool(let flag): flag ? "true" : "false"
        case .group(let fields):
            "{" + fields.map { "\($0.key)=\($0.value.description)" }.joined(separator: " ") + "}"
        }
    }
}
