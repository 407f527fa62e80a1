/// How the sink authenticates to Loki or to the gateway in front of it.
///
/// Credentials travel only in the `Authorization` header, never in the URL, and are redacted from
/// every description, error and diagnostic the sink produces.
///
/// ```swift
/// configuration.authentication = .basic(username: "123456", password: token)   // Grafana Cloud
/// configuration.authentication = .bearer(token: token)                         // a gateway
/// ```
public struct LokiAuthentication: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    enum Method: Sendable {
        case none
        case basic(username: String, password: String)
        case bearer(token: String)
    }

    let method: Method

    /// No `Authorization` header.
    public static let none = LokiAuthentication(method: .none)

    /// HTTP Basic authentication (for Grafana Cloud: the numeric instance id and an access token).
    ///
    /// - Parameters:
    ///   - username: The user name.
    ///   - password: The password or token; never printed.
    /// - Returns: The authentication.
    public static func basic(username: String, password: String) -> LokiAuthentication {
        LokiAuthentication(method: .basic(username: username, password: password))
    }

    /// A bearer token in the `Authorization` header.
    ///
    /// - Parameter token: The token; never printed.
    /// - Returns: The authentication.
    public static func bearer(token: String) -> LokiAuthentication {
        LokiAuthentication(method: .bearer(token: token))
    }

    /// The value of the `Authorization` header, or `nil`.
    var headerValue: String? {
        switch method {
        case .none:
            return nil
        case .basic(let username, let password):
            let encoded = Base64.encode(Array("\(username):\(password)".utf8))
            return "Basic \(encoded)"
        case .bearer(let token):
            return "Bearer \(token)"
        }
    }

    /// The secrets to redact from anything the sink prints.
    var secrets: [String] {
        switch method {
        case .none: []
        case .basic(let username, let password): [password, Base64.encode(Array("\(username):\(password)".utf8))]
        case .bearer(let token): [token]
        }
    }

    /// `none`, `basic(username: "123", password: <redacted>)` or `bearer(<redacted>)`.
    public var description: String {
        switch method {
        case .none: "none"
        case .basic(let username, _): "basic(username: \"\(username)\", password: <redacted>)"
        case .bearer: "bearer(token: <redacted>)"
        }
    }

    /// The same as ``description``: credentials are redacted.
    public var debugDescription: String { description }
}

/// Standard Base64 with padding, for the Basic `Authorization` header.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Encodes `bytes`.
    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 2 < bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output.append(alphabet[Int(value >> 18 & 63)])
            output.append(alphabet[Int(value >> 12 & 63)])
            output.append(alphabet[Int(value >> 6 & 63)])
            output.append(alphabet[Int(value & 63)])
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let value = UInt32(bytes[index]) << 16
            output.append(alphabet[Int(value >> 18 & 63)])
            output.append(alphabet[Int(value >> 12 & 63)])
            output.append(UInt8(ascii: "="))
            output.append(UInt8(ascii: "="))
        } else if rest == 2 {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            output.append(alphabet[Int(value >> 18 & 63)])
            output.append(alphabet[Int(value >> 12 & 63)])
            output.append(alphabet[Int(value >> 6 & 63)])
            output.append(UInt8(ascii: "="))
        }
        return String(decoding: output, as: UTF8.self)
    }
}
