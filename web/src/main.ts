// The playground page: settings in the URL hash, training in a worker, pictures on canvas.
import { BackpropView, EXAMPLES } from "./backprop-view.ts";
import { drawChart, type Series } from "./chart.ts";
import { classColor } from "./colors.ts";
import { gridCanvas, paintBoundary } from "./heatmap.ts";
import { NetworkView } from "./network-view.ts";
import { makeProblem, type Problem } from "./problem.ts";
import type { FromWorker, Progress, ToWorker } from "./protocol.ts";
import {
  CHOICES,
  fromHash,
  MAX_LAYERS,
  MAX_NEURONS,
  type Point,
  parsePoints,
  type Settings,
  toHash,
} from "./settings.ts";

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`playground: no element #${id}`);
  return el as T;
};

let settings: Settings = fromHash(location.hash).settings;
let problem: Problem = makeProblem(settings);
let latest: Progress | null = null;
let chartHistory: { step: number; trainLoss: number; testLoss: number; trainAcc: number; testAcc: number }[] =
  [];
let running = false;
let frame = 0;
const scheduleDraw = (): void => {
  if (frame === 0) frame = requestAnimationFrame(draw);
};

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const send = (message: ToWorker): void => worker.postMessage(message);
const network = new NetworkView($("network"), $("weight-info"));
const backprop = new BackpropView($("graph"), $("explain"));
const boundaryImage = gridCanvas();

// ---- controls --------------------------------------------------------------------------------

const LABELS: Record<string, string> = {
  moons: "Moons",
  circles: "Circles",
  spiral: "Spiral (3 classes)",
  xor: "XOR",
  blobs: "Blobs (3 classes)",
  custom: "Your own points",
  hinge: "Hinge",
  mse: "Squared error",
  bce: "Binary cross-entropy",
  softmax: "Softmax cross-entropy",
  adam: "Adam",
  sgd: "SGD",
  constant: "Constant",
  linear: "Linear to lr/10",
  step: "÷10 each third",
  cosine: "Cosine to 0",
  full: "Full batch",
  mini: "Mini-batch",
  stochastic: "Stochastic (1)",
};

function fillSelect(id: string, options: readonly string[]): void {
  $(id).replaceChildren(
    ...options.map((o) => {
      const el = document.createElement("option");
      el.value = o;
      el.textContent = LABELS[o] ?? EXAMPLES[o]?.title ?? o;
      return el;
    }),
  );
}

fillSelect("dataset", CHOICES.dataset);
fillSelect("loss", CHOICES.loss);
fillSelect("opt", CHOICES.optimizer);
fillSelect("sched", CHOICES.schedule);
fillSelect("batch", CHOICES.batch);
fillSelect("expr", CHOICES.expr);

/** Controls bound one-to-one to a setting: element id → setting name. */
const BOUND = {
  dataset: "dataset",
  n: "n",
  noise: "noise",
  test: "testPercent",
  seed: "seed",
  loss: "loss",
  opt: "optimizer",
  lr: "lr",
  sched: "schedule",
  steps: "steps",
  batch: "batch",
  bs: "batchSize",
  l2: "l2",
  expr: "expr",
} as const satisfies Record<string, keyof Settings>;

function showSettings(): void {
  for (const [id, key] of Object.entries(BOUND)) $<HTMLInputElement>(id).value = String(settings[key]);
  $("custom").hidden = settings.dataset !== "custom";
  $("bs-label").hidden = settings.batch !== "mini";
  for (const id of ["n", "noise", "reseed"]) $<HTMLInputElement>(id).disabled = settings.dataset === "custom";
  $("csv").textContent = "";
  $<HTMLTextAreaElement>("csv").value = settings.points.map((p) => p.join(",")).join("\n");
  $("loss-note").textContent =
    problem.classes > 2 && settings.loss !== "softmax"
      ? `${problem.classes} classes: trained with softmax cross-entropy (${settings.loss} scores two classes).`
      : "";
  showLayers();
}

function showLayers(): void {
  const focused = document.activeElement?.id ?? "";
  const list = $("layers");
  list.replaceChildren(
    ...settings.layers.map((layer, i) => {
      const item = document.createElement("li");
      const name = `layer ${i + 1}`;
      const button = (id: string, text: string, label: string, disabled: boolean, act: () => void) => {
        const b = document.createElement("button");
        b.type = "button";
        b.id = `layer-${i}-${id}`;
        b.textContent = text;
        b.setAttribute("aria-label", label);
        b.disabled = disabled;
        b.addEventListener("click", () => {
          act();
          changed();
        });
        return b;
      };
      const count = document.createElement("span");
      count.className = "count";
      count.id = `layer-${i}-size`;
      count.textContent = `${layer.size}`;
      const select = document.createElement("select");
      select.id = `layer-${i}-act`;
      select.setAttribute("aria-label", `Activation of ${name}`);
      for (const a of CHOICES.activation) select.append(new Option(a, a, false, a === layer.activation));
      select.addEventListener("change", () => {
        layer.activation = select.value as typeof layer.activation;
        changed();
      });
      item.append(
        `Layer ${i + 1} `,
        button("fewer", "−", `Fewer neurons in ${name}`, layer.size <= 1, () => layer.size--),
        count,
        button("more", "+", `More neurons in ${name}`, layer.size >= MAX_NEURONS, () => layer.size++),
        select,
        button("remove", "✕", `Remove ${name}`, false, () => settings.layers.splice(i, 1)),
      );
      return item;
    }),
  );
  $<HTMLButtonElement>("add-layer").disabled = settings.layers.length >= MAX_LAYERS;
  if (focused.startsWith("layer-")) {
    const again = document.getElementById(focused) as HTMLButtonElement | null;
    (again !== null && !again.disabled ? again : $("add-layer")).focus();
  }
}

function readControls(): void {
  const text = (id: string): string => $<HTMLInputElement>(id).value;
  const next = fromHash(
    toHash({
      ...settings,
      ...Object.fromEntries(Object.entries(BOUND).map(([id, key]) => [key, text(id)])),
    } as unknown as Settings),
  );
  settings = next.settings;
}

/** Settings changed: write them to the URL and start over. */
function changed(): void {
  const switchedToCustom =
    settings.dataset !== "custom" && $<HTMLSelectElement>("dataset").value === "custom";
  readControls();
  if (switchedToCustom && settings.points.length === 0) {
    // Start from the points on screen, so there is something to edit.
    const round = (v: number): number => Math.round(v * 100) / 100;
    const all = [
      ...problem.train.x.map((x, i) => [x, problem.train.y[i]] as const),
      ...problem.test.x.map((x, i) => [x, problem.test.y[i]] as const),
    ];
    settings.points = all.map(([x, y]): Point => [round(x[0]), round(x[1]), y]);
  }
  // A control can report the same value twice (input, then change on blur): start over only
  // when something changed.
  const hash = toHash(settings);
  if (hash === location.hash) return;
  history.replaceState(null, "", hash);
  restart();
}

function restart(): void {
  problem = makeProblem(settings);
  showSettings();
  latest = null;
  chartHistory = [];
  running = false;
  showRunning();
  // Until the worker reports the new run, there is nothing to train.
  $<HTMLButtonElement>("train").disabled = true;
  $<HTMLButtonElement>("step").disabled = true;
  if (problem.train.x.length === 0) {
    $("status").textContent = "Click the plane to add points (at least one).";
    draw();
    return;
  }
  send({ type: "setup", settings, ...problem });
}

for (const id of Object.keys(BOUND)) {
  if (id !== "expr") $(id).addEventListener("change", changed);
}
$("reseed").addEventListener("click", () => {
  $<HTMLInputElement>("seed").value = String(crypto.getRandomValues(new Uint32Array(1))[0] % 100000);
  changed();
});
$("add-layer").addEventListener("click", () => {
  settings.layers.push({ size: 4, activation: settings.layers.at(-1)?.activation ?? "tanh" });
  changed();
});
$("load-csv").addEventListener("click", () => {
  const points = parsePoints($<HTMLTextAreaElement>("csv").value);
  $("csv-error").textContent = typeof points === "string" ? points : "";
  if (typeof points === "string") return;
  settings.points = points;
  changed();
});
$("clear-points").addEventListener("click", () => {
  settings.points = [];
  changed();
});
$("boundary").addEventListener("click", (e) => {
  if (settings.dataset !== "custom") return;
  const canvas = e.currentTarget as HTMLCanvasElement;
  const box = canvas.getBoundingClientRect();
  const { x0, y0, size } = problem.domain;
  const x = x0 + (size * (e.clientX - box.left)) / box.width;
  const y = y0 + size * (1 - (e.clientY - box.top) / box.height);
  const k = Number($<HTMLSelectElement>("click-class").value);
  settings.points.push([Math.round(x * 100) / 100, Math.round(y * 100) / 100, k]);
  changed();
});

// ---- training --------------------------------------------------------------------------------

function showRunning(): void {
  const button = $("train");
  button.textContent = running ? "Pause" : "Train";
  button.setAttribute("aria-pressed", String(running));
}

$("train").addEventListener("click", () => {
  if (latest === null) return;
  running = !running;
  send({ type: running ? "run" : "pause" });
  showRunning();
});
$("step").addEventListener("click", () => {
  running = false;
  showRunning();
  send({ type: "step" });
});
$("reset").addEventListener("click", restart);
$("share").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(location.href);
    $("status").textContent = "Link copied: it reproduces this run.";
  } catch {
    $("status").textContent = `Share this link: ${location.href}`;
  }
});

worker.addEventListener("error", (e) => {
  $("status").textContent = `The training worker failed: ${e.message || "it could not start"}`;
});
worker.addEventListener("message", (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  if (m.type === "error") {
    running = false;
    showRunning();
    $("status").textContent = `Training stopped: ${m.message}`;
    return;
  }
  latest = m;
  if (chartHistory.at(-1)?.step !== m.step) {
    chartHistory.push({
      step: m.step,
      trainLoss: m.trainLoss,
      testLoss: m.testLoss,
      trainAcc: m.trainAccuracy,
      testAcc: m.testAccuracy,
    });
  }
  if (!m.running && running) {
    running = false;
    showRunning();
  }
  scheduleDraw();
});

// ---- pictures --------------------------------------------------------------------------------

const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : "–");
const num = (v: number): string => (Number.isFinite(v) ? v.toFixed(4) : "–");

function draw(): void {
  frame = 0;
  const canvas = $<HTMLCanvasElement>("boundary");
  const ctx = canvas.getContext("2d");
  if (ctx === null) return;
  const side = canvas.width;
  const classes = Math.max(2, problem.classes);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, side, side);
  const p = latest;
  if (p !== null) {
    paintBoundary(boundaryImage, p.probs, classes);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(boundaryImage, 0, 0, side, side);
  }
  const { x0, y0, size } = problem.domain;
  const dot = (x: number[], y: number, test: boolean): void => {
    const cx = ((x[0] - x0) / size) * side;
    const cy = (1 - (x[1] - y0) / size) * side;
    ctx.beginPath();
    ctx.arc(cx, cy, test ? 4 : 4.5, 0, 2 * Math.PI);
    ctx.fillStyle = test ? "#fff" : classColor(y);
    ctx.strokeStyle = test ? classColor(y) : "#fff";
    ctx.lineWidth = test ? 2.5 : 1;
    ctx.fill();
    ctx.stroke();
  };
  problem.train.x.forEach((x, i) => {
    dot(x, problem.train.y[i], false);
  });
  problem.test.x.forEach((x, i) => {
    dot(x, problem.test.y[i], true);
  });
  if (p === null) return;

  $("status").textContent = `Step ${p.step} of ${p.steps} · lr ${p.lr.toPrecision(3)} · ${
    p.running ? "training…" : p.step >= p.steps ? "done" : p.step === 0 ? "ready" : "paused"
  }`;
  $<HTMLButtonElement>("train").disabled = p.step >= p.steps;
  $<HTMLButtonElement>("step").disabled = p.step >= p.steps;
  $("train-loss").textContent = num(p.trainLoss);
  $("test-loss").textContent = num(p.testLoss);
  $("train-acc").textContent = pct(p.trainAccuracy);
  $("test-acc").textContent = pct(p.testAccuracy);
  const line = (
    pick: (h: (typeof chartHistory)[number]) => number,
    color: string,
    dashed: boolean,
  ): Series => ({
    points: chartHistory.map((h) => [h.step, pick(h)] as const),
    color,
    dashed,
  });
  drawChart(
    $("loss-chart"),
    [line((h) => h.trainLoss, "#1f2937", false), line((h) => h.testLoss, "#e4572e", true)],
    {
      format: (v) => v.toPrecision(2),
    },
  );
  drawChart(
    $("acc-chart"),
    [line((h) => h.trainAcc, "#1f2937", false), line((h) => h.testAcc, "#e4572e", true)],
    {
      yMax: 1,
      format: (v) => `${Math.round(v * 100)}%`,
    },
  );
  network.update(p, problem.classes);
}

// ---- backpropagation ---------------------------------------------------------------------------

function loadExample(): void {
  backprop.load(settings.expr);
  $("expr-text").textContent = EXAMPLES[settings.expr].formula;
  $<HTMLButtonElement>("back-step").disabled = false;
}
$("expr").addEventListener("change", () => {
  readControls();
  history.replaceState(null, "", toHash(settings));
  loadExample();
});
$("back-step").addEventListener("click", () => {
  backprop.step();
  $<HTMLButtonElement>("back-step").disabled = backprop.finished;
});
$("back-all").addEventListener("click", () => {
  while (!backprop.finished) backprop.step();
  $<HTMLButtonElement>("back-step").disabled = true;
});
$("back-reset").addEventListener("click", () => {
  backprop.reset();
  $<HTMLButtonElement>("back-step").disabled = false;
});

window.addEventListener("hashchange", () => {
  if (location.hash === toHash(settings)) return;
  settings = fromHash(location.hash).settings;
  restart();
  loadExample();
});
window.addEventListener("resize", scheduleDraw);

history.replaceState(null, "", toHash(settings));
restart();
loadExample();
