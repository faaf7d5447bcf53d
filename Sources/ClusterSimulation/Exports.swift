@_exported import ClusterKit
