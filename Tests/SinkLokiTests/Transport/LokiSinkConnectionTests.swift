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
