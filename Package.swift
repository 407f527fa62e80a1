// swift-tools-version: 6.1
import PackageDescription

/// One strict-settings block, applied to every target.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// Products of the integration packages, each linked only when its trait is enabled. SwiftPM prunes a
// dependency that no enabled trait uses: without traits, nothing is resolved or fetched.
let swiftLog: Target.Dependency = .product(name: "Logging", package: "swift-log", condition: .when(traits: ["SwiftLog"]))
let coreMetrics: Target.Dependency = .product(
    name: "CoreMetrics", package: "swift-metrics", condition: .when(traits: ["SwiftMetrics"])
)
let metricsTestKit: Target.Dependency = .product(
    name: "MetricsTestKit", package: "swift-metrics", condition: .when(traits: ["SwiftMetrics"])
)
let serviceLifecycle: Target.Dependency = .product(
    name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: .when(traits: ["ServiceLifecycle"])
)
let swiftLogForServiceLifecycle: Target.Dependency = .product(
    name: "Logging", package: "swift-log", condition: .when(traits: ["SwiftLog", "ServiceLifecycle"])
)
let serviceLifecycleTestKit: Target.Dependency = .product(
    name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle", condition: .when(traits: ["ServiceLifecycle"])
)

let package = Package(
    name: "AsyncSinks",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "AsyncSinks", targets: ["AsyncSinks"]),
        .library(name: "SinkConsole", targets: ["SinkConsole"]),
        .library(name: "SinkFile", targets: ["SinkFile"]),
        .library(name: "SinkLoki", targets: ["SinkLoki"]),
        .library(name: "AsyncSinksSwiftLog", targets: ["AsyncSinksSwiftLog"]),
        .library(name: "AsyncSinksMetrics", targets: ["AsyncSinksMetrics"]),
        .library(name: "AsyncSinksServiceLifecycle", targets: ["AsyncSinksServiceLifecycle"]),
        .executable(name: "asyncsinks-demo", targets: ["asyncsinks-demo"]),
        .executable(name: "asyncsinks-loadgen", targets: ["asyncsinks-loadgen"]),
    ],
    // Integrations with the Swift server ecosystem, each off by default: the default build resolves
    // no package at all. Enable them with `--traits SwiftLog,SwiftMetrics,ServiceLifecycle` (or
    // `AllIntegrations`), or from a dependent package with `.package(..., traits: ["SwiftLog"])`. An
    // integration's product compiles to an empty module unless its trait is enabled.
    traits: [
        .trait(name: "SwiftLog", description: "A swift-log LogHandler backed by a LogPipeline (module AsyncSinksSwiftLog)."),
        .trait(name: "SwiftMetrics", description: "Pipeline counters, gauges and timers as swift-metrics (module AsyncSinksMetrics)."),
        .trait(name: "ServiceLifecycle", description: "A LogPipeline as a swift-service-lifecycle Service (module AsyncSinksServiceLifecycle)."),
        .trait(name: "AllIntegrations", description: "Every integration.", enabledTraits: ["SwiftLog", "SwiftMetrics", "ServiceLifecycle"]),
        .default(enabledTraits: []),
    ],
    // Used only by the integration targets, and only when their trait is enabled (see `traits`).
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Support: per-thread state for the logging path, and the system zlib.
        .target(name: "CAsyncSinksSupport"),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(name: "AsyncSinksGzip", dependencies: ["CZlib", "CAsyncSinksSupport"], swiftSettings: strictSettings),

        // The core: records, loggers, the pipeline, formatters.
        .target(name: "AsyncSinks", dependencies: ["CAsyncSinksSupport"], swiftSettings: strictSettings),

        // Sinks.
        .target(name: "SinkConsole", dependencies: ["AsyncSinks"], swiftSettings: strictSettings),
        .target(name: "SinkFile", dependencies: ["AsyncSinks", "AsyncSinksGzip", "CAsyncSinksSupport"], swiftSettings: strictSettings),
        .target(name: "SinkLoki", dependencies: ["AsyncSinks", "AsyncSinksGzip"], swiftSettings: strictSettings),

        // Integrations, each compiled only with its trait (the sources are empty without it).
        .target(
            name: "AsyncSinksSwiftLog",
            dependencies: ["AsyncSinks", swiftLog],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AsyncSinksMetrics",
            dependencies: ["AsyncSinks", coreMetrics],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AsyncSinksServiceLifecycle",
            dependencies: ["AsyncSinks", serviceLifecycle],
            swiftSettings: strictSettings
        ),

        // The load generator: flags, record mix and accounting verdict in a testable library.
        .target(
            name: "AsyncSinksLoadGenerator",
            dependencies: ["AsyncSinks", "SinkConsole", "SinkFile", "SinkLoki"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "asyncsinks-loadgen",
            dependencies: ["AsyncSinksLoadGenerator"],
            path: "Examples/LoadGenerator",
            swiftSettings: strictSettings
        ),

        // Examples.
        .executableTarget(
            name: "asyncsinks-demo",
            dependencies: ["AsyncSinks", "SinkConsole", "SinkFile", "SinkLoki"],
            path: "Examples/Demo",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "asyncsinks-example-quickstart",
            dependencies: ["AsyncSinks", "SinkConsole", "SinkFile"],
            path: "Examples/QuickStart",
            swiftSettings: strictSettings
        ),

        .executableTarget(
            name: "asyncsinks-example-tee",
            dependencies: ["AsyncSinks", "SinkFile", "SinkLoki"],
            path: "Examples/TeeDuringIncident",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "asyncsinks-example-metrics",
            dependencies: ["AsyncSinks", "SinkConsole"],
            path: "Examples/MetricsHooks",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "asyncsinks-example-swift-log",
            dependencies: ["AsyncSinks", "SinkConsole", "SinkFile", "AsyncSinksSwiftLog", swiftLog],
            path: "Examples/SwiftLogBootstrap",
            swiftSettings: strictSettings
        ),

        // Tests.
        .testTarget(name: "AsyncSinksTests", dependencies: ["AsyncSinks", "CAsyncSinksSupport"], swiftSettings: strictSettings),
        .testTarget(name: "AsyncSinksGzipTests", dependencies: ["AsyncSinksGzip"], swiftSettings: strictSettings),
        .testTarget(name: "SinkConsoleTests", dependencies: ["SinkConsole", "AsyncSinks"], swiftSettings: strictSettings),
        .testTarget(
            name: "SinkFileTests",
            dependencies: ["SinkFile", "AsyncSinks", "AsyncSinksGzip"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SinkLokiTests",
            dependencies: ["SinkLoki", "AsyncSinks", "CZlib"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AsyncSinksSwiftLogTests",
            dependencies: ["AsyncSinksSwiftLog", "AsyncSinks", swiftLog],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AsyncSinksMetricsTests",
            dependencies: ["AsyncSinksMetrics", "AsyncSinks", coreMetrics, metricsTestKit],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AsyncSinksServiceLifecycleTests",
            dependencies: [
                "AsyncSinksServiceLifecycle", "AsyncSinks", serviceLifecycle, serviceLifecycleTestKit, swiftLogForServiceLifecycle,
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AsyncSinksLoadGeneratorTests",
            dependencies: ["AsyncSinksLoadGenerator", "AsyncSinks"],
            swiftSettings: strictSettings
        ),
    ]
)
