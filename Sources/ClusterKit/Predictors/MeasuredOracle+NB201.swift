extension MeasuredOracle {
    /// Loads the NAS-Bench-201 latency table (HW-NAS-Bench / HELP measurements): inference
    /// latency in ms of one forward pass of a batch, one column per device setting
    /// (`<device>_<batch>` for GPUs, the device alone for CPUs and phones, batch 1).
    ///
    /// Configurations are named `nb201-<arch_index>`. With `stride > 1` only every
    /// `stride`-th architecture is loaded. Memory and SM utilization were not measured.
    public mutating func loadNB201(path: String, catalog: DeviceCatalog, stride: Int = 1) throws {
        try loadNB201(path: path, catalog: catalog, rows: .every(stride))
    }

    /// Loads the architectures of `rows` only (see `OracleNeeds`); none reads nothing.
    public mutating func loadNB201(path: String, catalog: DeviceCatalog, rows: OracleNeeds.Rows) throws {
        if case .only(let s) = rows, s.isEmpty { return }
        let table = try CSVTable(text: TextFile.read(path), path: path)
        let cIndex = try table.column("arch_index")
        var columns: [(index: Int, device: String, batch: Int, name: String)] = []
        for (i, name) in table.header.enumerated() where name != "arch_index" && name != "arch" {
            var deviceName = name
            var batch = 1
            if let us = name.lastIndex(of: "_"), let b = Int(name[name.index(after: us)...]),
               catalog.device(dataset: "nb201", name: String(name[..<us])) != nil {
                deviceName = String(name[..<us])
                batch = b
            }
            guard let device = catalog.device(dataset: "nb201", name: deviceName) else {
                throw InputError(file: path, line: 1, field: name, reason: "device column has no 'nb201:\(deviceName)' alias in the device catalog")
            }
            columns.append((i, device.name, batch, name))
        }
        for row in table.rows {
            let index = try row.int(cIndex, "arch_index", in: table)
            guard rows.contains(index) else { continue }
            for c in columns {
                let ms = try row.double(c.index, c.name, in: table)
                guard ms > 0 else { continue }
                let config = ModelConfig(model: "nb201-\(index)", batchSize: c.batch, mode: .infer, precision: .fp32)
                insert(PerformanceQuery(config: config, device: c.device),
                       Entry(estimate: PerformanceEstimate(timePerIteration: ms / 1000), source: "nb201"))
            }
        }
        if let ref = catalog.device(dataset: "nb201", name: "1080ti") {
            setReferenceDevice(ref.name, forModelsWithPrefix: "nb201-")
        }
    }
}
