import ClusterKit

/// Integrates cluster occupancy over time from the engine's records (busy devices and SM
/// utilization per device type) and counts preemptions and OOM failures.
public final class MetricsCollector: SimulationObserver {
    private var lastTime: SimTime?
    private var busy: [Int] = []
    private var sm: [Double] = []
    /// Device-seconds busy per device type.
    public private(set) var busySeconds: [Double] = []
    /// Device-seconds of SM utilization per device type.
    public private(set) var smSeconds: [Double] = []
    public private(set) var preemptions = 0
    public private(set) var oomFailures = 0
    public private(set) var nodeFailures = 0
    /// (time, busy devices) whenever occupancy changes, for plots.
    public private(set) var occupancySeries: [(SimTime, Int)] = []
    public var keepSeries = false

    public init() {}

    public func record(_ r: SimulationRecord, state: ClusterState) {
        if busy.isEmpty {
            busy = Array(repeating: 0, count: state.deviceTypes.count)
            sm = Array(repeating: 0, count: state.deviceTypes.count)
            busySeconds = busy.map(Double.init)
            smSeconds = sm
        }
        switch r {
        case .occupancy(let at, let busyByType, let smByType):
            if let last = lastTime {
                let dt = (at - last).seconds
                for t in busy.indices {
                    busySeconds[t] += Double(busy[t]) * dt
                    smSeconds[t] += sm[t] * dt
                }
            }
            lastTime = at
            busy = busyByType
            sm = smByType
            if keepSeries { occupancySeries.append((at, busyByType.reduce(0, +))) }
        case .preempted: preemptions += 1
        case .failedOOM: oomFailures += 1
        case .nodeDown: nodeFailures += 1
        default: break
        }
    }
}
