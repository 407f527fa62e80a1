import Foundation

/// Validates the configured URL and derives the push URL from it.
enum LokiEndpoint {
    /// The path of the push API.
    static let pushPath = "/loki/api/v1/push"

    /// The push URL for a base URL or a full push URL.
    ///
    /// - Parameter string: `http(s)://host[:port][/prefix]` or the same ending in `/loki/api/v1/push`.
    /// - Returns: The push URL.
    /// - Throws: ``LokiConfigurationError`` when the URL is not http(s), has no host, or carries a user
    ///   or password (credentials belong in ``LokiSinkConfiguration/authentication``).
    static func pushURL(from string: String) throws(LokiConfigurationError) -> URL {
        guard var components = URLComponents(string: string.trimmingCharacters(in: .whitespaces)) else {
            throw LokiConfigurationError("the Loki URL \"\(redactedURL(string))\" is not a valid URL")
        }
        if components.user != nil || components.password != nil {
            throw LokiConfigurationError(
                "the Loki URL \"\(redactedURL(string))\" contains credentials; remove them from the URL and set "
                    + "the configuration's authentication instead")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw LokiConfigurationError("the Loki URL \"\(redactedURL(string))\" must start with http:// or https://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw LokiConfigurationError("the Loki URL \"\(redactedURL(string))\" has no host")
        }
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        if !path.hasSuffix(pushPath) { path += pushPath }
        components.path = path
        guard let url = components.url else {
            throw LokiConfigurationError("the Loki URL \"\(redactedURL(string))\" is not a valid URL")
        }
        return url
    }

    /// `string` with any user and password removed, for messages.
    static func redactedURL(_ string: String) -> String {
        guard let schemeEnd = string.range(of: "://") else { return string }
        let afterScheme = string[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return string }
        return String(string[..<schemeEnd.upperBound]) + "<redacted>@" + String(afterScheme[afterScheme.index(after: at)...])
    }
}
