// swift-tools-version: 6.1
import PackageDescription

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
        .package(name: "AsyncSinks", path: ".."),
    ],
    targets: [
        .target(name: "CMallocCounter"),
        .executableTarget(
            name: "asyncsinks-benchmarks",
            dependencies: [
                "CMallocCounter",
                .product(name: "AsyncSinks", package: "AsyncSinks"),
            ],
            path: "Sources/AsyncSinksBenchmarks",
            swiftSettings: strictSettings + [.unsafeFlags(["-Ounchecked"])]
        ),
    ]
)
