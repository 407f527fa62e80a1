// swift-tools-version: 6.1
import PackageDescription

/// The project's strict settings, applied to the Swift target.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "AsyncSinksBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "AsyncSinks", path: "..", traits: ["SwiftLog"]),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(name: "CMallocCounter"),
        .target(name: "CReferenceFormat", cSettings: [.unsafeFlags(["-O2"])]),
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CBenchZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .executableTarget(
            name: "asyncsinks-benchmarks",
            dependencies: [
                "CMallocCounter",
                "CReferenceFormat",
                "CSnappy",
                "CBenchZlib",
                .product(name: "AsyncSinks", package: "AsyncSinks"),
                .product(name: "SinkFile", package: "AsyncSinks"),
                .product(name: "SinkLoki", package: "AsyncSinks"),
                .product(name: "SinkConsole", package: "AsyncSinks"),
                .product(name: "AsyncSinksSwiftLog", package: "AsyncSinks"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/AsyncSinksBenchmarks",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AsyncSinksBenchmarksTests",
            dependencies: [
                "asyncsinks-benchmarks",
                "CMallocCounter",
                "CBenchZlib",
                .product(name: "AsyncSinks", package: "AsyncSinks"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
