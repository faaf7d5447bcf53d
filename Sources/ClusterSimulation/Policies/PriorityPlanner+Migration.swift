import ClusterKit

extension PriorityPlanner {
    /// Migration (Gavel's rounds re-place every job; Narayanan et al., OSDI 2020, §5): after the
    /// round's admissions, each running job, highest priority first, that did not start in this
    /// pass and is not protected (`PolicyView.isProtected`) is offered to the placement again;
    /// where the placement would now put it on a type its predictor says is faster, and the
    /// predicted remaining time there plus the restore is shorter than where it is, it moves
    /// (`Decision.migrate`, paying the restore). So no job stays on a slower type for a round
    /// while a faster type it can use has room.
    func migrateToFasterTypes(_ ranked: [Int], in view: PolicyView, sink: any DecisionSink) {
        // A whole-device job moves only onto idle devices: with none (a full cluster), only a
        // job on a share of a device is worth a look, until a move frees some.
        var anyIdle = view.idleCount.contains { $0 > 0 }
        for j in ranked {
            let job = view.job(j)
            if !anyIdle && !job.isFractional { continue }
            guard job.status == .running && job.runStart < view.now && !view.isProtected(job: j) else { continue }
            let current = job.deviceType
            guard let here = view.prediction(job: j, type: current)?.timePerIteration else { continue }
            // Cheap first: some type the predictor says is faster has enough idle devices.
            let gpus = job.gpus
            guard job.isFractional || view.feasibleTypes(job: j).contains(where: { t in
                view.idleCount(ofType: t) >= gpus && (view.prediction(job: j, type: t)?.timePerIteration ?? .infinity) < here
            }) else { continue }
            guard let p = placement.place(job: j, in: view), view.violation(of: p, for: j) == nil else { continue }
            // Never trade a one-node placement for one that spans nodes (scaling would suffer).
            let nodes = { (devices: [Int]) in Set(devices.map { view.node(ofDevice: $0) }).count }
            if nodes(p.devices) > nodes(job.devices) { continue }
            let target = view.deviceType(ofDevice: p.devices[0])
            guard target != current, let there = view.prediction(job: j, type: target)?.timePerIteration, there < here else { continue }
            guard let fast = view.predictedRemainingSeconds(job: j, type: target), let slow = view.predictedRemainingSeconds(job: j, type: current),
                  fast + view.restoreSeconds < slow else { continue }
            _ = sink.apply(.migrate(job: j, to: p))
            anyIdle = view.idleCount.contains { $0 > 0 }
        }
    }
}
