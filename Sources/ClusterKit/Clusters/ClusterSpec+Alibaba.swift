extension ClusterSpec {
    /// Builds the Alibaba GPU 2023 cluster from its node list
    /// (`openb_node_list_gpu_node.csv`: `sn,cpu_milli,memory_mib,gpu,model`), grouping identical
    /// nodes (same GPU model, GPU count, CPU and memory) into node groups, in order of first appearance.
    ///
    /// GPU models are resolved through the catalog's `alibaba:` aliases. Source: Weng et al.,
    /// "Beware of Fragmentation: Scheduling GPU-Sharing Workloads with Fragmentation Gradient
    /// Descent", USENIX ATC 2023.
    public static func alibaba2023(nodeList path: String, catalog: DeviceCatalog) throws -> ClusterSpec {
        let table = try CSVTable(text: TextFile.read(path), path: path)
        let cGPU = try table.column("gpu"), cModel = try table.column("model")
        let cCPU = try table.column("cpu_milli"), cMem = try table.column("memory_mib")
        struct Key: Hashable { var model: String; var gpus: Int; var cpu: Int; var mem: Int }
        var order: [Key] = []
        var counts: [Key: Int] = [:]
        for row in table.rows {
            let gpus = try row.int(cGPU, "gpu", in: table)
            guard gpus > 0 else { continue }
            let model = String(try row.string(cModel, "model", in: table))
            guard catalog.device(dataset: "alibaba", name: model) != nil else {
                throw InputError(file: path, line: row.line, field: "model", reason: "GPU model '\(model)' has no 'alibaba:\(model)' alias in the device catalog")
            }
            let key = Key(model: model, gpus: gpus, cpu: try row.int(cCPU, "cpu_milli", in: table) / 1000,
                          mem: try row.int(cMem, "memory_mib", in: table))
            if counts[key] == nil { order.append(key) }
            counts[key, default: 0] += 1
        }
        let groups = order.map { k in
            NodeGroup(name: "\(k.model.lowercased())-\(k.gpus)gpu-\(k.cpu)c-\(k.mem / 1024)g", count: counts[k]!,
                      device: catalog.device(dataset: "alibaba", name: k.model)!, devicesPerNode: k.gpus,
                      hostCPUCores: k.cpu, hostMemoryGB: Double(k.mem) / 1024, interconnect: "pcie", networkGbps: nil)
        }
        return ClusterSpec(name: "alibaba-gpu-2023",
                           description: "Alibaba GPU cluster 2023 (Weng et al., ATC'23), built by `augur cluster alibaba` from openb_node_list_gpu_node.csv",
                           nodeGroups: groups)
    }
}
