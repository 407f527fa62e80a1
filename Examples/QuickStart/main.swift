// The README's quick start, compiled and run by CI.
import AsyncSinks
import SinkConsole
import SinkFile

struct PaymentDeclined: Error {}

func expensiveSummary() -> String {
    "3 items, 59.90 EUR"
}

let pipeline = try LogPipeline(sinks: [
    SinkRegistration("console", sink: ConsoleSink(), configuration: SinkConfiguration(minimumLevel: .info)),
    SinkRegistration("file", sink: try FileSink(configuration: FileSinkConfiguration(path: "logs/app.log"))),
])

var logger = pipeline.logger(label: "checkout")
logger.bind(["region": "eu-west-1"])                       // merged once, carried by every record
logger.info("order placed", ["order": "A-1042", "items": 3, "total": 59.90, "gift": false])
logger.error("payment failed", ["order": "A-1043"], error: PaymentDeclined())
logger.debug("cart \(expensiveSummary())")                 // not evaluated when debug is off everywhere

// Before the process exits: drain, flush and close every sink, within a deadline.
let report = pipeline.close(timeout: .seconds(5))
print(report)   // per sink: accepted, written, dropped by reason, failed, pending (0)
