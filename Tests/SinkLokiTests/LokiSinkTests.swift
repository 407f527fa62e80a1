@testable import AsyncSinks
import Foundation
import SinkLoki
import Testing

@Suite("LokiSink delivery")
struct LokiSinkTests {
    @Test("pushes protobuf+snappy to the push path with headers, labels and logfmt lines")
    func protobufDelivery() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: configuration(server) {
            $0.tenant = "team-a"
            $0.authentication = .basic(username: "123456", password: "s3cret-token")
            $0.headers = ["X-Gateway": "gateway-value"]
            $0.staticLabels = ["service_name": "api", "env": "prod"]
            $0.promotedFields = ["region"]
        })
        let records = [
            record("first", at: 0, fields: ["region": "eu", "user": "alice", "n": 3]),
            record("second", level: .error, at: 1, fields: ["region": "eu"]),
            record("third", at: 2, fields: ["region": "us", "ok": true]),
        ]
        let (batch, error) = write(sink, records)
        #expect(error == nil)
        #expect(outcomes(batch) == ["written", "written", "written"])
        let requests = server.requests
        try #require(requests.count == 1)
        let request = requests[0]
        #expect(request.method == "POST")
        #expect(request.path == "/loki/api/v1/push")
        #expect(request.header("Content-Type") == "application/x-protobuf")
        #expect(request.header("X-Scope-OrgID") == "team-a")
        #expect(request.header("Authorization") == "Basic MTIzNDU2OnMzY3JldC10b2tlbg==")
        #expect(request.header("X-Gateway") == "gateway-value")
        let push = try PushDecoder.decode(request)
        #expect(push.streams.count == 3)
        #expect(push.streams[0].selector == #"{env="prod", level="info", region="eu", service_name="api"}"#)
        #expect(push.streams[0].entries.map(\.line) == [#"msg=first user=alice n=3"#])
        #expect(push.streams[0].entries[0].timestamp == testNow.nanosecondsSinceEpoch)
        #expect(push.streams[1].labels["level"] == "error")
        #expect(push.streams[1].entries.map(\.line) == ["msg=second"])
        #expect(push.streams[2].labels["region"] == "us")
        #expect(push.streams[2].entries.map(\.line) == ["msg=third ok=true"])
        #expect(batch.bytesWritten == request.body.count)
        #expect(sink.statistics().streams == 3)
        #expect(sink.statistics().acceptedRequests == 1)
    }

    @Test("groups entries per stream and sorts each stream by time, stably")
    func groupingAndSorting() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: configuration(server))
        let records = [
            record("i-30", at: 30), record("e-10", level: .error, at: 10), record("i-10", at: 10),
            record("i-20a", at: 20), record("e-5", level: .error, at: 5), record("i-20b", at: 20), record("i-0", at: 0),
        ]
        let (_, error) = write(sink, records)
        #expect(error == nil)
        let push = try decodedRequest(server)
        #expect(push.streams.map { $0.labels["level"] } == ["info", "error"])
        #expect(push.streams[0].entries.map(\.line) == ["msg=i-0", "msg=i-10", "msg=i-20a", "msg=i-20b", "msg=i-30"])
        #expect(push.streams[1].entries.map(\.line) == ["msg=e-5", "msg=e-10"])
    }

    @Test("JSON bodies carry string timestamps, stream objects and structured metadata")
    func jsonDelivery() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: configuration(server) {
            $0.encoding = .json
            $0.lineFormat = .json
            $0.structuredMetadata = .fields(["trace_id"])
        })
        let (_, error) = write(sink, [record("hello \"world\"\n", at: 7, fields: ["trace_id": "abc", "n": 1.5, "big": 10])])
        #expect(error == nil)
        let request = try #require(server.requests.first)
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("Content-Encoding") == nil)
        let push = try PushDecoder.decode(request)
        let entry = try #require(push.entries.first)
        #expect(push.streams[0].labels == ["level": "info"])
        #expect(entry.timestamp == testNow.nanosecondsSinceEpoch + 7_000_000)
        #expect(entry.metadata == ["trace_id": "abc"])
        let line = try #require(try JSONSerialization.jsonObject(with: Data(entry.line.utf8)) as? [String: Any])
        #expect(line["msg"] as? String == "hello \"world\"\n")
        #expect(line["n"] as? Double == 1.5)
        #expect(line["big"] as? Int == 10)
        #expect(line["trace_id"] == nil)
    }

    @Test("gzipped JSON is sent with Content-Encoding: gzip")
    func gzippedJSON() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: configuration(server) { $0.encoding = .gzippedJSON })
        let records = (0..<200).map { record("line \($0)", at: Int64($0), fields: ["k": "v"]) }
        let (_, error) = write(sink, records)
        #expect(error == nil)
        let request = try #require(server.requests.first)
        #expect(request.header("Content-Encoding") == "gzip")
        #expect(request.header("Content-Type") == "application/json")
        let push = try PushDecoder.decode(request)
        #expect(push.entries.map(\.line) == (0..<200).map { "msg=\"line \($0)\" k=v" })
    }

    @Test("splits a batch into requests within maxRequestBytes, keeping every entry once and in order")
    func splitsByBytes() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        for encoding in [LokiEncoding.protobufSnappy, .json] {
            let before = server.requests.count
            let sink = try LokiSink(configuration: configuration(server) {
                $0.maxRequestBytes = 4096
                $0.encoding = encoding
                $0.structuredMetadata = .fields(["trace"])
            })
            let records = (0..<300).map {
                record("request \($0) " + String(repeating: "x", count: $0 % 50), level: $0 % 3 == 0 ? .warning : .info,
                       at: Int64($0), fields: ["trace": "t\($0)"])
            }
            let (batch, error) = write(sink, records)
            #expect(error == nil)
            #expect(outcomes(batch).allSatisfy { $0 == "written" })
            let requests = Array(server.requests[before...])
            #expect(requests.count > 5)
            var lines: [String: [String]] = [:]
            for request in requests {
                #expect(try PushDecoder.rawBody(request).count <= 4096)
                for stream in try PushDecoder.decode(request).streams {
                    lines[stream.labels["level"] ?? "", default: []] += stream.entries.map(\.line)
                }
            }
            #expect(lines["warning"] == records.filter { $0.level == .warning }.map { "msg=\"\($0.message)\"" })
            #expect(lines["info"] == records.filter { $0.level == .info }.map { "msg=\"\($0.message)\"" })
        }
    }

    @Test("keeps each stream's order across shards sending in parallel")
    func shardsKeepStreamOrder() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: configuration(server) {
            $0.shardCount = 4
            $0.maxRequestBytes = 2048
            $0.promotedFields = ["tenant"]
        })
        let records = (0..<400).map { record("entry \($0)", at: Int64(400 - $0) / 3, fields: ["tenant": "t\($0 % 10)", "seq": .int(Int64($0))]) }
        let (_, error) = write(sink, records)
        #expect(error == nil)
        var timestamps: [String: [Int64]] = [:]
        var seen = 0
        for request in server.requests {
            for stream in try PushDecoder.decode(request).streams {
                timestamps[stream.selector ?? "", default: []] += stream.entries.map(\.timestamp)
                seen += stream.entries.count
            }
        }
        #expect(seen == 400)
        #expect(timestamps.count == 10)
        for (_, values) in timestamps { #expect(values == values.sorted()) }
    }
}
