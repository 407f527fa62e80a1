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
        .library(name: "SinkFile", targets: ["SinkFile"]),
        .library(name: "SinkLoki", targets: ["SinkLoki"]),
        .library(name: "SinkConsole", targets: ["SinkConsole"]),
    ],
    targets: [
        .target(name: "CAsyncSinksSupport"),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(
            name: "AsyncSinks",
            dependencies: ["CAsyncSinksSupport"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AsyncSinksGzip",
            dependencies: ["CZlib"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SinkFile",
            dependencies: ["AsyncSinks", "AsyncSinksGzip"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SinkLoki",
            dependencies: ["AsyncSinks", "AsyncSinksGzip"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AsyncSinksGzipTests",
            dependencies: ["AsyncSinksGzip"],
            swiftSettings: strictSettings
        ),
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
            name: "AsyncSinksTests",
            dependencies: ["AsyncSinks"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SinkConsole",
            dependencies: ["AsyncSinks"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SinkConsoleTests",
            dependencies: ["SinkConsole", "AsyncSinks"],
            swiftSettings: strictSettings
        ),
    ]
)
