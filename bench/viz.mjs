// Pictures: how long drawing takes, for graphs from ten values to thousands, on the built dist.
//   toDot          DOT text of a graph (all values drawn, or the default 250-value limit)
//   graphviz       layout + SVG by @viz-js/viz (wasm Graphviz), what `micrograd graph` does
//   png            resvg rendering of that SVG
//   boundary       80x80 decision-boundary heatmap of a 2-16-16-1 MLP
//   curves         three runs of 10,000 steps each
import process from "node:process";
import { dotToSvg, svgToPng } from "../dist/cli/picture-file.js";
import {
  decisionBoundarySvg,
  forwardWithGroups,
  MLP,
  moons,
  toDot,
  topologicalOrder,
  trainingCurvesSvg,
  Value,
} from "../dist/index.js";
import { measure, ourVersion, report, row } from "./rows.mjs";

const rssMiB = () => process.memoryUsage().rss / 2 ** 20;

/** A loss over `samples` inputs of an MLP 2-16-16-1 (about 980 values per sample), after backward. */
function mlpLoss(samples) {
  const model = new MLP(2, [16, 16, 1]);
  const data = moons({ n: Math.max(2, samples) });
  let loss = new Value(0);
  let groups = [];
  for (let i = 0; i < samples; i++) {
    const forward = forwardWithGroups(model, data.x[i]);
    if (i === 0) groups = forward.groups;
    loss = loss.add(
      forward.outputs[0]
        .mul(data.y[i] ? -1 : 1)
        .add(1)
        .relu(),
    );
  }
  loss.backward();
  return { root: loss, groups };
}

async function timed(fn) {
  const before = rssMiB();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const c = process.cpuUsage(c0);
  return {
    ms: performance.now() - t0,
    cpuMs: (c.user + c.system) / 1000,
    rssDeltaMiB: rssMiB() - before,
    result,
  };
}

const base = { workload: "viz", threads: 1, level: "public API" };
const viz = (impl, m, extra = {}) =>
  row({ ...base, impl, version: ourVersion(), ...m, per: "call", ...extra });

export async function run({ json, quick }) {
  if (!json) console.log("viz: drawing graphs and plots (built dist), ms per call");
  const runs = quick ? 3 : 7;

  // Graphs of several sizes, every value drawn, then the default limit.
  for (const samples of quick ? [1, 4] : [1, 10, 40]) {
    const { root, groups } = mlpLoss(samples);
    const values = topologicalOrder(root).length;
    report(
      viz(
        `toDot ${values} values, all drawn`,
        measure(() => toDot(root, { maxNodes: 1e9 }), { runs, warmup: 1 }),
      ),
      json,
    );
    report(
      viz(
        `toDot ${values} values, default limit`,
        measure(() => toDot(root, { groups }), { runs, warmup: 1 }),
      ),
      json,
    );
  }

  // Graphviz layout: the full graph of one MLP sample (about 2,000 Graphviz nodes with the op
  // nodes), the same collapsed by neuron, and 40 samples (about 26,000 values) with the default
  // limit of 250 values drawn.
  await dotToSvg("digraph { a -> b }"); // load the wasm once
  const one = mlpLoss(1);
  const ten = mlpLoss(quick ? 4 : 40);
  const cases = [
    ["graphviz 979 values all drawn", toDot(one.root, { maxNodes: 1e9 })],
    ["graphviz 979 values by neuron", toDot(one.root, { groups: one.groups, collapseGroups: "always" })],
    [`graphviz ${topologicalOrder(ten.root).length} values, limit`, toDot(ten.root, { groups: ten.groups })],
  ];
  for (const [name, dot] of cases) {
    const times = [];
    let cpuMs = 0;
    let svg = "";
    let rss = 0;
    const reps = quick ? 1 : 3;
    for (let i = 0; i < reps; i++) {
      const r = await timed(() => dotToSvg(dot));
      times.push(r.ms);
      cpuMs += r.cpuMs / reps;
      svg = r.result;
      rss = Math.max(rss, r.rssDeltaMiB);
    }
    const extra = {
      dotKiB: dot.length / 1024,
      svgKiB: svg.length / 1024,
      rssGrowthMiB: rss,
      rssMiB: rssMiB(),
    };
    report(viz(name, { times, cpuMs }, extra), json);
    if (name.includes("by neuron")) {
      const png = await timed(() => svgToPng(svg, 1));
      report(
        viz(
          "png of the neuron boxes",
          { times: [png.ms], cpuMs: png.cpuMs },
          { pngKiB: png.result.length / 1024 },
        ),
        json,
      );
    }
  }

  // Plots.
  const model = new MLP(2, [16, 16, 1]);
  const data = moons({ n: 100 });
  const predict = (p) => model.predict(p);
  report(
    viz(
      "boundary 80x80, 2-16-16-1",
      measure(() => decisionBoundarySvg(predict, data), { runs, warmup: 1 }),
    ),
    json,
  );
  // The same model through Value graphs (what predict did before it computed on numbers).
  const slow = measure(() => decisionBoundarySvg((p) => model.forward(p).map((v) => v.data), data), {
    runs: 1,
  });
  report(viz("boundary 80x80 through Value graphs", slow), json);
  const steps = 10_000;
  const curveRuns = ["full", "batch 10", "stochastic"].map((name, r) => ({
    name,
    train: Array.from({ length: steps }, (_, i) => ({
      step: i + 1,
      loss: (1 + r) / (i + 1) + 0.01 * Math.sin(i),
      accuracy: 1 - 0.5 / (i + 1),
    })),
  }));
  const curves = measure(() => trainingCurvesSvg(curveRuns, { smoothing: 0.9 }), { runs, warmup: 1 });
  report(viz("curves 3 runs x 10k steps", curves), json);
}

if (import.meta.url === `file://${process.argv[1]}`)
  await run({ json: process.argv.includes("--json"), quick: process.argv.includes("--quick") });
