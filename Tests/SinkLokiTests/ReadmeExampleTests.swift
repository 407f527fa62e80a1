import AsyncSinks
import Foundation
import SinkLoki
import Testing

/// The README's example, compiled and run against the test server.
@Suite("README example")
struct ReadmeExampleTests {
    static func runExample(url: String, token: String) throws -> LogPipeline {
        var loki = LokiSinkConfiguration(url: url)           // base URL or full push URL
        loki.tenant = "team-a"                               // X-Scope-OrgID
        loki.authentication = .basic(username: "123456", password: token)
        loki.staticLabels = ["service_name": "checkout", "env": "prod"]
        loki.promotedFields = ["region"]                     // low-cardinality fields only
        loki.structuredMetadata = .fields(["trace_id"])      // high-cardinality ids (Loki 3)
        loki.diagnostics = { diagnostic in
            FileHandle.standardError.write(Data("\(diagnostic)\n".utf8))
        }

        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(workerCount: 2),
            sinks: [
                SinkRegistration(
                    "loki", sink: try LokiSink(configuration: loki),
                    configuration: SinkConfiguration(batching: BatchingPolicy(maxEntries: 1000, maxWait: .seconds(1))))
            ])
        let logger = pipeline.logger(label: "checkout")
        logger.info("order placed", ["region": "eu-west", "trace_id": "4bf92f35", "amount": 42])
        return pipeline
    }

    @Test("the example delivers labels, metadata, tenant and credentials as documented")
    func example() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let pipeline = try Self.runExample(url: server.baseURL, token: "token-123")
        let report = pipeline.close(timeout: .seconds(5))
        #expect(report.completedInTime)
        let request = try #require(server.requests.first)
        #expect(request.header("X-Scope-OrgID") == "team-a")
        #expect(request.header("Authorization") == "Basic MTIzNDU2OnRva2VuLTEyMw==")
        let stream = try #require(try PushDecoder.decode(request).streams.first)
        #expect(stream.labels == ["service_name": "checkout", "env": "prod", "level": "info", "region": "eu-west"])
        #expect(stream.entries.first?.line == "msg=\"order placed\" logger=checkout amount=42")
        #expect(stream.entries.first?.metadata == ["trace_id": "4bf92f35"])
    }

    @Test("a LogFormatter can write the line")
    func formatterLine() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: configuration(server) {
            $0.lineFormat = .formatter(
                LogfmtFormatter(includeTimestamp: false, includeLevel: false, includeLabel: false, includeSource: false))
        })
        let (_, error) = write(sink, [record("served", fields: ["status": 200])])
        #expect(error == nil)
        #expect(try decodedRequest(server).entries.map(\.line) == ["msg=served status=200"])
    }
}
