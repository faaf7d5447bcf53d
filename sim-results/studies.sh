#!/usr/bin/env bash
# Re-runs the committed studies (sim-results/README.md). Each writes sim-results/<study>/
# (comparison.csv, comparison.md, report.html, evaluation.json; runs/ is not committed).
# Usage: bash sim-results/studies.sh [a b c d e f g n]   (default: all; release build first)
set -euo pipefail
cd "$(dirname "$0")/.."
A=.build/release/augur
studies=("${@:-a b c d e f g n}")
for s in ${studies[@]}; do
  case $s in
  a) $A evaluate --title "Study a: heterogeneity-aware placement on GPUs, CPUs and phones, driven by predictors" \
       --generate-jobs 2000 --rate 60 --duration-scale 0.5 --max-gpus 1 --families nb201 --cluster clusters/gpu-edge.yaml \
       --policies fifo+first-fit,fifo+hetero,sjf+hetero,las+hetero,max-min-fairness+hetero \
       --predictors measured,gnn,roofline,user-estimate --seeds 1-5 --out sim-results/a-hetero-edge ;;
  b) $A evaluate --title "Study b: memory-aware packing with point predictions, upper intervals and measured memory" \
       --generate-jobs 1000 --rate 120 --duration-scale 0.5 --max-gpus 4 --families gavel --cluster clusters/gavel.yaml \
       --interference time-sliced --policies fifo+best-fit,fifo+pack,fifo+pack-upper,las+pack,las+pack-upper \
       --predictors measured,gnn,noisy:0.1,noisy:0.3,user-estimate --seeds 1-5 --out sim-results/b-memory-packing ;;
  c) $A evaluate --title "Study c: sensitivity to prediction error" \
       --generate-jobs 2000 --rate 60 --duration-scale 0.5 --max-gpus 1 --families nb201,neusight --cluster clusters/default.yaml \
       --policies sjf+best-fit,srtf+hetero,las+hetero \
       --predictors measured,gnn,noisy:0.05,noisy:0.1,noisy:0.2,noisy:0.4,noisy:0.8 --seeds 1-5 --out sim-results/c-sensitivity ;;
  d) $A evaluate --title "Study d: the full Philly trace on the 2,048-GPU cluster" \
       --trace ../shared/traces/philly/philly.csv --cluster clusters/hetero-2048.yaml \
       --policies fifo+first-fit,fifo+hetero,las+first-fit,las+hetero,srtf+hetero \
       --predictors measured,gnn,user-estimate,noisy:0.3 --seeds 1-3 --out sim-results/d-philly-2048 ;;
  e) $A evaluate --title "Study e: Gavel's cluster and job types under FIFO, LAS and max-min fairness" \
       --generate-jobs 1000 --rate 40 --duration-scale 1 --max-gpus 8 --families gavel --cluster clusters/gavel.yaml \
       --interference time-sliced --policies fifo+first-fit,fifo+hetero,las+first-fit,las+hetero,max-min-fairness+hetero \
       --predictors measured,gnn,noisy:0.3,user-estimate --seeds 1-5 --out sim-results/e-gavel
     $A evaluate --title "Study e (physical): Gavel's physical-cluster trace on Gavel's cluster" \
       --trace ../shared/traces/gavel/physical_cluster/max_min_fairness.trace --cluster clusters/gavel.yaml --interference time-sliced \
       --policies fifo+first-fit,fifo+hetero,las+first-fit,las+hetero,max-min-fairness+hetero \
       --predictors measured,gnn,noisy:0.3,user-estimate --seeds 1-5 --out sim-results/e-gavel-physical ;;
  f) $A evaluate --title "Study f: the full Philly trace on a modern 2,048-GPU cluster running real models, policies driven by the GNN and others" \
       --trace ../shared/traces/philly/philly.csv --families benchmarks --cluster clusters/modern-2048.yaml \
       --policies fifo+first-fit,fifo+hetero,sjf+hetero,srtf+hetero,las+hetero \
       --predictors measured,gnn,roofline,user-estimate,noisy:0.3 --seeds 1-5 --out sim-results/f-philly-modern
     $A evaluate --title "Study f (loaded): a Philly-like trace of real models on the 128-GPU modern cluster" \
       --generate-jobs 2000 --rate 120 --duration-scale 1 --max-gpus 8 --families benchmarks --cluster clusters/modern.yaml \
       --policies fifo+first-fit,fifo+hetero,sjf+hetero,srtf+hetero,las+hetero \
       --predictors measured,gnn,roofline,user-estimate,noisy:0.3 --seeds 1-5 --out sim-results/f-modern-loaded ;;
  g) $A evaluate --title "Study g: the modern cluster with a GPU type the GNN never saw (A100 SXM4 80 GB left out of its training)" \
       --trace ../shared/traces/philly/philly.csv --families benchmarks --cluster clusters/modern-2048.yaml \
       --policies fifo+hetero,sjf+hetero,srtf+hetero,las+hetero \
       --predictors measured,gnn:models/no-a100-sxm4-80gb,gnn --seeds 1-5 --out sim-results/g-unseen-gpu ;;
  n) $A evaluate --title "Study n: NAS-Bench-201 and NeuSight jobs on the default cluster (the demo before it moved to real models)" \
       --generate-jobs 2000 --rate 60 --duration-scale 0.5 --max-gpus 1 --families nb201,neusight --cluster clusters/default.yaml \
       --policies sjf+best-fit,srtf+hetero,las+hetero,max-min-fairness+hetero,ftf+hetero \
       --predictors measured,gnn,roofline,user-estimate --seeds 1-3 --out sim-results/n-nb201-neusight ;;
  *) echo "unknown study $s (a b c d e f g n)" >&2; exit 2 ;;
  esac
done
