/// Removes secrets (passwords, tokens, custom header values) from text before it leaves the sink in
/// an error or a diagnostic, for example when a server echoes a header in its error message.
struct Redactor: Sendable {
    private let secrets: [String]

    /// Creates a redactor for `secrets` (empty strings are ignored).
    init(secrets: [String]) {
        self.secrets = secrets.filter { !$0.isEmpty }.sorted { $0.utf8.count > $1.utf8.count }
    }

    /// `text` with every occurrence of a secret replaced by `<redacted>`.
    func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacing(secret, with: "<redacted>")
        }
        return result
    }
}
