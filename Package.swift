// swift-tools-version: 6.1
import PackageDescription

/// One strict-settings block, applied to every target.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "AsyncSinks",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "AsyncSinks", targets: ["AsyncSinks"]),
        .library(name: "SinkConsole", targets: ["SinkConsole"]),
        .library(name: "SinkFile", targets: ["SinkFile"]),
        .library(name: "SinkLoki", targets: ["SinkLoki"]),
        .executable(name: "asyncsinks-demo", targets: ["asyncsinks-demo"]),
    ],
    targets: [
        // Support: per-thread state for the logging path, and the system zlib.
        .target(name: "CAsyncSinksSupport"),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(name: "AsyncSinksGzip", dependencies: ["CZlib"], swiftSettings: strictSettings),

        // The core: records, loggers, the pipeline, formatters.
        .target(name: "AsyncSinks", dependencies: ["CAsyncSinksSupport"], swiftSettings: strictSettings),

        // Sinks.
        .target(name: "SinkConsole", dependencies: ["AsyncSinks"], swiftSettings: strictSettings),
        .target(name: "SinkFile", dependencies: ["AsyncSinks", "AsyncSinksGzip"], swiftSettings: strictSettings),
        .target(name: "SinkLoki", dependencies: ["AsyncSinks", "AsyncSinksGzip"], swiftSettings: strictSettings),

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

        // Tests.
        .testTarget(name: "AsyncSinksTests", dependencies: ["AsyncSinks"], swiftSettings: strictSettings),
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
    ]
)
