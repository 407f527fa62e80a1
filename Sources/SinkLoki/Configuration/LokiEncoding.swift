/// The body format of push requests.
///
/// ``protobufSnappy`` (the default) is what Promtail and Grafana Alloy send: a protobuf
/// `PushRequest` compressed with Snappy (block format), `Content-Type: application/x-protobuf`.
/// ``json`` and ``gzippedJSON`` send `{"streams":[...]}` as `application/json`, the latter with
/// `Content-Encoding: gzip`.
public struct LokiEncoding: Hashable, Sendable, CustomStringConvertible {
    enum Format: Hashable, Sendable {
        case protobufSnappy
        case json
        case gzippedJSON
    }

    let format: Format

    /// Protobuf compressed with Snappy: the smallest and fastest. The default.
    public static let protobufSnappy = LokiEncoding(format: .protobufSnappy)
    /// Plain JSON.
    public static let json = LokiEncoding(format: .json)
    /// JSON compressed with gzip (`Content-Encoding: gzip`).
    public static let gzippedJSON = LokiEncoding(format: .gzippedJSON)

    /// The `Content-Type` header of requests in this encoding.
    var contentType: String {
        format == .protobufSnappy ? "application/x-protobuf" : "application/json"
    }

    var isJSON: Bool { format != .protobufSnappy }

    /// The encoding's name: `protobuf+snappy`, `json` or `json+gzip`.
    public var description: String {
        switch format {
        case .protobufSnappy: "protobuf+snappy"
        case .json: "json"
        case .gzippedJSON: "json+gzip"
        }
    }
}
