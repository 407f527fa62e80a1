import AsyncSinks
import SinkLoki
import Testing

@Suite("LokiSink connections")
struct LokiSinkConnectionTests {
    @Test("requests of one sink reuse one keep-alive connection")
    func connectionReuse() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: configuration(server))
        for index in 0..<5 {
            let (_, error) = write(sink, [record("write \(index)", at: Int64(index))])
            #expect(error == nil)
        }
        #expect(server.requests.count == 5)
        #expect(server.acceptedConnections == 1)
    }
}

@Suite("LokiSink after close")
struct LokiSinkClosedTests {
    @Test("writing after close fails the records instead of crashing")
    func writeAfterClose() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: configuration(server))
        try sink.close()
        try sink.close()
        let (batch, error) = write(sink, [record("late")])
        #expect(error == nil)
        #expect(outcome(batch, 0) == "failed:Loki push not sent: the Loki sink is closed")
        #expect(server.requests.isEmpty)
    }
}
