import Testing
@testable import ModelGraph

/// MLPerf Training's 3D U-Net (KiTS19).
@Suite struct UNet3DTests {
    /// The reference layer list summed by hand: a 3×3×3 block `(i, o)` holds `27·i·o + 2·o`
    /// (weight, instance-norm scale and bias), an up-sampling block `8·i·o + o` plus two
    /// blocks, the output 32·3 + 3: 31,190,243.
    @Test func parameterCount() throws {
        let blockParams = { (i: Int, o: Int) in 27 * i * o + 2 * o }
        var expected = blockParams(1, 32) + blockParams(32, 32)
        let f = [32, 64, 128, 256, 320]
        for (i, o) in zip(f.dropLast(), f.dropFirst()) { expected += blockParams(i, o) + blockParams(o, o) }
        expected += 2 * blockParams(320, 320)
        for (i, o) in [(320, 320), (320, 256), (256, 128), (128, 64), (64, 32)] {
            expected += 8 * i * o + o + blockParams(2 * o, o) + blockParams(o, o)
        }
        expected += 32 * 3 + 3
        let g = try #require(try UNet3D.graph(named: "unet3d"))
        #expect(expected == 31_190_243)
        #expect(g.parameterCount == expected)
        #expect(g.tensors[g.outputs[0]].shape == [1, 3, 128, 128, 128])
        #expect(g.uncostedOperators().isEmpty)
        #expect(try UNet3D.graph(named: "unet2d") == nil)
    }

    @Test func scalesWithBatchAndSize() throws {
        let base = try #require(try UNet3D.graph(named: "unet3d", size: 64))
        let batch = try #require(try UNet3D.graph(named: "unet3d", batchSize: 2, size: 64))
        let big = try #require(try UNet3D.graph(named: "unet3d", size: 128))
        let f = { (g: ModelGraph) in Double(g.cost(mode: .infer).flops) }
        #expect(f(batch) / f(base) > 1.99 && f(batch) / f(base) < 2.01)
        #expect(f(big) / f(base) > 7.9 && f(big) / f(base) < 8.1)
        #expect(big.parameterCount == base.parameterCount)
    }

    @Test func rejectsBadSizes() {
        #expect(throws: ModelGraphError.self) { try UNet3D.graph(batchSize: 0) }
        #expect(throws: ModelGraphError.self) { try UNet3D.graph(named: "unet3d", size: 100) }
        #expect(throws: ModelGraphError.self) { try UNet3D.graph(size: 16) }
        #expect(throws: ModelGraphError.self) { try UNet3D.graph(classes: 0) }
    }
}
