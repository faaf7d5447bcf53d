/// Generative adversarial jobs: Gavel's CycleGAN and Lucid's DCGAN. Each graph holds the
/// forward passes of one training iteration, every network's weights shared across its passes.
extension SchedulerZoo {
    /// Gavel's `cyclegan-monet2photo` (job table "CycleGAN", `workloads/pytorch/cyclegan`,
    /// eriklindernoren/PyTorch-GAN's `cyclegan.py` with its defaults: 256×256 RGB, 9 residual
    /// blocks). Generators (Zhu et al., ICCV 2017, ResNet-9): reflection pad 3 and 7×7 conv
    /// 3→64, two stride-2 3×3 convs to 256, nine residual blocks (reflection-padded 3×3
    /// convs), two nearest ×2 upsamplings each followed by a 3×3 conv, reflection pad and 7×7
    /// conv to 3 with tanh; instance norms without affine parameters, convolutions with bias:
    /// 11,378,179 parameters each. Discriminators: PatchGAN 4×4 convs 3→64→128→256→512 at
    /// stride 2 (instance norm after the first, leaky ReLU 0.2), zero pad (1,0,1,0) and a 4×4
    /// conv to 1 (a 16×16 patch map at 256): 2,764,737 parameters each, the count of the
    /// paper's 70×70 PatchGAN, whose last two convolutions have stride 1 instead. Two of each:
    /// 28,285,832 parameters.
    ///
    /// The iteration's passes: identity `G_BA(A)`, `G_AB(B)`; translations `G_AB(A)`, `G_BA(B)`;
    /// cycles `G_BA(G_AB(A))`, `G_AB(G_BA(B))`; `D_B`, `D_A` on the fakes for the generator
    /// loss, then on the real and (detached, replay-buffered) fake images for their own losses —
    /// the order of `cyclegan.py`'s loop. Gavel's job table passes no batch size, so its runs use
    /// the script's default of 1; the graph takes the caller's. `size` is the resolution (256; a
    /// multiple of 16 within 32...4096).
    static func cycleGAN(batch: Int, size: Int?) throws -> ModelGraph {
        let name = "cyclegan-monet2photo"
        let r = try resolve(size, default: 256, range: 32...4096, field: "resolution", model: name)
        guard r % 16 == 0 else {
            throw ModelGraphError.invalidSpec(source: name, field: "resolution", reason: "must be a multiple of 16, got \(r)")
        }
        var n = ZooNet(name)
        let realA = n.g.addInput("real_A", shape: [batch, 3, r, r])
        let realB = n.g.addInput("real_B", shape: [batch, 3, r, r])
        let upscale = n.g.addConstant("upsample.scales", shape: [4], dtype: .float32, floatValues: [1, 1, 2, 2])

        func reflect(_ n: inout ZooNet, _ x: Int, _ p: Int, name: String) -> Int {
            let pads = n.constant("reflection_pad.\(p)", [8], ints: [0, 0, p, p, 0, 0, p, p])
            return n.op("Pad", [x, pads], ["mode": .string("reflect")], name: name)
        }
        func generator(_ n: inout ZooNet, _ x: Int, net: String, pass: String) -> Int {
            n.scope = pass
            var h = reflect(&n, x, 3, name: "pad_in")
            h = n.act(n.instanceNorm(n.conv(h, 3, 64, k: 7, pad: 0, bias: true, name: net + ".model.1"), 64, name: "norm_in"), "Relu", name: "relu_in")
            var c = 64
            for i in 0..<2 {
                h = n.conv(h, c, 2 * c, k: 3, stride: 2, pad: 1, bias: true, name: net + ".down.\(i)")
                h = n.act(n.instanceNorm(h, 2 * c, name: "down.\(i).norm"), "Relu", name: "down.\(i).relu")
                c *= 2
            }
            for i in 0..<9 {
                let p = net + ".res.\(i)"
                var y = reflect(&n, h, 1, name: "res.\(i).pad1")
                y = n.act(n.instanceNorm(n.conv(y, c, c, k: 3, pad: 0, bias: true, name: p + ".conv1"), c, name: "res.\(i).norm1"), "Relu", name: "res.\(i).relu")
                y = reflect(&n, y, 1, name: "res.\(i).pad2")
                y = n.instanceNorm(n.conv(y, c, c, k: 3, pad: 0, bias: true, name: p + ".conv2"), c, name: "res.\(i).norm2")
                h = n.op("Add", [h, y], name: "res.\(i).add")
            }
            for i in 0..<2 {
                h = n.op("Resize", [h, upscale], ["mode": .string("nearest")], name: "up.\(i).upsample")
                h = n.conv(h, c, c / 2, k: 3, pad: 1, bias: true, name: net + ".up.\(i)")
                h = n.act(n.instanceNorm(h, c / 2, name: "up.\(i).norm"), "Relu", name: "up.\(i).relu")
                c /= 2
            }
            h = reflect(&n, h, 3, name: "pad_out")
            h = n.act(n.conv(h, 64, 3, k: 7, pad: 0, bias: true, name: net + ".out"), "Tanh", name: "tanh")
            n.scope = ""
            return h
        }
        func discriminator(_ n: inout ZooNet, _ x: Int, net: String, pass: String) -> Int {
            n.scope = pass
            var h = x, c = 3
            for (i, out) in [64, 128, 256, 512].enumerated() {
                h = n.conv(h, c, out, k: 4, stride: 2, pad: 1, bias: true, name: net + ".block\(i)")
                if i > 0 { h = n.instanceNorm(h, out, name: "block\(i).norm") }
                h = n.act(h, "LeakyRelu", alpha: 0.2, name: "block\(i).lrelu")
                c = out
            }
            let pads = n.constant("zero_pad.1010", [8], ints: [0, 0, 1, 1, 0, 0, 0, 0])
            h = n.op("Pad", [h, pads], ["mode": .string("constant")], name: "zero_pad")
            h = n.conv(h, 512, 1, k: 4, pad: 1, bias: true, name: net + ".out")
            n.scope = ""
            return h
        }
        let idA = generator(&n, realA, net: "G_BA", pass: "identity_A")
        let idB = generator(&n, realB, net: "G_AB", pass: "identity_B")
        let fakeB = generator(&n, realA, net: "G_AB", pass: "fake_B")
        let fakeA = generator(&n, realB, net: "G_BA", pass: "fake_A")
        let recA = generator(&n, fakeB, net: "G_BA", pass: "recov_A")
        let recB = generator(&n, fakeA, net: "G_AB", pass: "recov_B")
        var outputs = [idA, idB, recA, recB]
        outputs.append(discriminator(&n, fakeB, net: "D_B", pass: "gan_B"))
        outputs.append(discriminator(&n, fakeA, net: "D_A", pass: "gan_A"))
        outputs.append(discriminator(&n, realA, net: "D_A", pass: "real_A"))
        outputs.append(discriminator(&n, fakeA, net: "D_A", pass: "fake_A_detached"))
        outputs.append(discriminator(&n, realB, net: "D_B", pass: "real_B"))
        outputs.append(discriminator(&n, fakeB, net: "D_B", pass: "fake_B_detached"))
        return try n.build(outputs: outputs)
    }

    /// Lucid's `dcgan-lsun`: DCGAN (Radford, Metz and Chintala, ICLR 2016) as Lucid's
    /// `workloads/dcgan/profile_dcgan.py` builds it (the PyTorch examples' `dcgan/main.py`, LSUN
    /// bedrooms at 64×64): nz 100, ngf = ndf = 64.
    /// Generator: transposed 4×4 convs 100→512 (stride 1) →256→128→64→3 (stride 2) without
    /// bias, batch norm and ReLU between, tanh: 3,576,704 parameters. Discriminator: 4×4 convs
    /// 3→64→128→256→512 at stride 2 without bias, batch norms after all but the first, leaky
    /// ReLU 0.2, a 4×4 conv to 1 and sigmoid: 2,765,568. Together 6,342,272. The iteration's
    /// passes: `G(z)`, `D(real)`, `D(fake)` (twice: the detached fake for D's loss and the fake
    /// for G's). `size` is the resolution (64; a multiple of 16 within 64...4096: the generator
    /// starts from a `size/16 − 3` square of noise).
    static func dcgan(batch: Int, size: Int?) throws -> ModelGraph {
        let name = "dcgan-lsun"
        let r = try resolve(size, default: 64, range: 64...4096, field: "resolution", model: name)
        guard r % 16 == 0 else {
            throw ModelGraphError.invalidSpec(source: name, field: "resolution", reason: "must be a multiple of 16, got \(r)")
        }
        var n = ZooNet(name)
        // The first transposed conv (4×4, stride 1, no padding) turns an s×s noise map into
        // (s+3)×(s+3), and four doublings follow: s = size/16 − 3 (1×1 noise at 64, as in the paper).
        let side = r / 16 - 3
        let z = n.g.addInput("noise", shape: [batch, 100, side, side])
        let real = n.g.addInput("real", shape: [batch, 3, r, r])
        var h = n.convTranspose(z, 100, 512, k: 4, stride: 1, pad: 0, bias: false, name: "netG.main.0")
        h = n.act(n.bn(h, 512, name: "netG.main.1"), "Relu", name: "netG.main.2")
        var c = 512
        for i in 0..<3 {
            h = n.convTranspose(h, c, c / 2, k: 4, stride: 2, pad: 1, bias: false, name: "netG.main.\(3 * i + 3)")
            h = n.act(n.bn(h, c / 2, name: "netG.main.\(3 * i + 4)"), "Relu", name: "netG.main.\(3 * i + 5)")
            c /= 2
        }
        h = n.convTranspose(h, 64, 3, k: 4, stride: 2, pad: 1, bias: false, name: "netG.main.12")
        let fake = n.act(h, "Tanh", name: "netG.main.13")

        func discriminator(_ n: inout ZooNet, _ x: Int, pass: String) -> Int {
            n.scope = pass
            var h = x, c = 3, i = 0
            for out in [64, 128, 256, 512] {
                h = n.conv(h, c, out, k: 4, stride: 2, pad: 1, bias: false, name: "netD.main.\(i)")
                i += 1
                if out != 64 { h = n.bn(h, out, name: "netD.main.\(i)"); i += 1 }
                h = n.act(h, "LeakyRelu", alpha: 0.2, name: "netD.main.\(i)")
                i += 1
                c = out
            }
            h = n.act(n.conv(h, 512, 1, k: 4, stride: 1, pad: 0, bias: false, name: "netD.main.11"), "Sigmoid", name: "netD.main.12")
            n.scope = ""
            return h
        }
        let outputs = [discriminator(&n, real, pass: "D_real"), discriminator(&n, fake, pass: "D_fake_detached"),
                       discriminator(&n, fake, pass: "D_fake")]
        return try n.build(outputs: outputs)
    }
}
