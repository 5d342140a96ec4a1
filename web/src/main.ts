// The playground page: settings in the URL hash, training in a worker, pictures on canvas.
import { backpropPanel } from "./backprop-panel.ts";
import { BackpropView } from "./backprop-view.ts";
import { drawChart, type Series } from "./chart.ts";
import {
  BOUND,
  FLAGS,
  fillFeatures,
  fillSelects,
  offerWebGpu,
  readControls,
  showSettings,
} from "./controls.ts";
import { byId as $ } from "./dom.ts";
import { readable, short } from "./format.ts";
import { ladderStep } from "./ladder.ts";
import { NetworkView } from "./network-view.ts";
import { drawPlane, pointAt } from "./plane.ts";
import { makeProblem, type Problem } from "./problem.ts";
import { type CurvePoint, type FromWorker, GRID, type Progress, type ToWorker } from "./protocol.ts";
import {
  CHOICES,
  fromHash,
  isRegression,
  MAX_POINTS,
  type Point,
  parsePoints,
  type Settings,
  toHash,
} from "./settings.ts";

let settings: Settings = fromHash(location.hash).settings;
let problem: Problem = makeProblem(settings);
let latest: Progress | null = null;
let curves: CurvePoint[] = [];
let running = false;
let frame = 0;
/** The engine's last measured time per update (0 until it has made some). */
let speed = 0;
/** Why the run stopped before its last step ("" while it has not). */
let stopped = "";
/** The hidden neuron shown on the big plot (null: the network's output). */
let shownNeuron: number | null = null;

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const send = (message: ToWorker): void => worker.postMessage(message);
const network = new NetworkView($("network"), $("weight-info"), $("weight-edit"), {
  onNeuron(k) {
    if (k === shownNeuron) return;
    shownNeuron = k;
    scheduleDraw();
  },
  onEdit(index, value) {
    send({ type: "set", index, value });
    $("notice").textContent = `Parameter set to ${value}: training goes on from it.`;
  },
});
const loadExample = backpropPanel(new BackpropView($("graph"), $("explain")), {
  current: () => settings,
  replace: (next) => {
    settings = next;
    history.replaceState(null, "", toHash(settings));
  },
});

/** Settings that a run takes between two updates, and those that only change the pictures. */
const TUNED = ["lr", "sched", "l2", "l1"];
const SHOWN = ["discretize", "showtest", "expr", "vals", "view", "lm"];

// ---- views -----------------------------------------------------------------------------------

/** The other views load their code (and their data) the first time they are opened. */
const views: { lm?: Promise<import("./lm-view.ts").LanguageView>; digits?: Promise<unknown> } = {};
const VIEWS = CHOICES.view;

/** Shows the view the settings name; the 2-D network keeps training underneath. */
function showView(): void {
  for (const name of VIEWS) {
    $(`${name}-view`).hidden = settings.view !== name;
    $(`view-${name}`).setAttribute("aria-pressed", String(settings.view === name));
  }
  if (settings.view === "lm") {
    const chosen = (arch: Settings["lmArch"]): void => {
      settings.lmArch = arch;
      history.replaceState(null, "", toHash(settings));
    };
    views.lm ??= import("./lm-view.ts").then(({ LanguageView }) => new LanguageView(settings.lmArch, chosen));
    // a link that names the other model (the view keeps its run when it names the same)
    void views.lm.then((view) => view.choose(settings.lmArch));
  }
  if (settings.view === "digits")
    views.digits ??= import("./digits-view.ts").then(({ DigitsView }) => new DigitsView());
}

for (const name of VIEWS) {
  $(`view-${name}`).addEventListener("click", () => {
    settings.view = name;
    history.replaceState(null, "", toHash(settings));
    showView();
  });
}

function scheduleDraw(): void {
  if (frame === 0) frame = requestAnimationFrame(draw);
}

/** Tells the visitor which values of a shared link were not understood, or taken in part. */
function noteRejected(hash: string): void {
  const { rejected, notes } = fromHash(hash);
  const parts = [
    ...(rejected.length > 0 ? [`Ignored values in the link (defaults used): ${rejected.join(", ")}.`] : []),
    ...notes.map((n) => `${n}.`),
  ];
  $("notice").textContent = parts.join(" ");
}

/** The URL keys whose values differ between two hashes. */
function differing(a: string, b: string): string[] {
  const pa = new URLSearchParams(a.slice(1));
  const pb = new URLSearchParams(b.slice(1));
  const keys = new Set([...pa.keys(), ...pb.keys()]);
  return [...keys].filter((k) => pa.get(k) !== pb.get(k));
}

// ---- settings --------------------------------------------------------------------------------

/** Settings changed: write them to the URL and start over. */
function changed(): void {
  const switchedToCustom =
    settings.dataset !== "custom" && $<HTMLSelectElement>("dataset").value === "custom";
  const read = readControls(settings);
  settings = read.settings;
  if (switchedToCustom && settings.points.length === 0) {
    // Start from the points on screen, so that there is something to edit.
    const round = (v: number): number => Math.round(v * 100) / 100;
    const points = [...problem.points.train, ...problem.points.test];
    const classes = [...problem.train.y, ...problem.test.y];
    settings.points = points.map((x, i): Point => [round(x[0]), round(x[1]), classes[i]]);
  }
  // A control can report the same value twice (input, then change on blur), or a value that was
  // not valid: start over only when something changed, else just show the settings again.
  const hash = toHash(settings);
  $("notice").textContent = read.refused.length > 0 ? `${read.refused.join("; ")}.` : "";
  if (hash === location.hash) {
    showSettings(settings, problem, changed);
    return;
  }
  const keys = differing(location.hash, hash);
  history.replaceState(null, "", hash);
  if (keys.every((k) => SHOWN.includes(k))) {
    scheduleDraw();
    return;
  }
  // The learning rate, its schedule, L2 and L1 apply from the next update: the run goes on.
  if (latest !== null && stopped === "" && keys.every((k) => TUNED.includes(k) || SHOWN.includes(k))) {
    const { lr, schedule, l2, l1 } = settings;
    send({ type: "tune", change: { lr, schedule, l2, l1 } });
    scheduleDraw();
    return;
  }
  restart();
}

function restart(): void {
  problem = makeProblem(settings);
  showSettings(settings, problem, changed);
  latest = null;
  curves = [];
  speed = 0;
  stopped = "";
  shownNeuron = null;
  running = false;
  showRunning();
  $("split-warning").textContent = problem.warning;
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

fillSelects();
void offerWebGpu();
fillFeatures(changed);
for (const id of [...Object.keys(BOUND), ...Object.keys(FLAGS)]) {
  if (id !== "expr") $(id).addEventListener("change", changed);
}
// Arrow keys step the rates through 1, 3, 10, 30, … (adding 1 to 0.03 is never what is meant).
for (const id of ["lr", "l2", "l1"]) {
  const input = $<HTMLInputElement>(id);
  input.addEventListener("keydown", (e) => {
    if (e.key !== "ArrowUp" && e.key !== "ArrowDown") return;
    e.preventDefault();
    input.value = String(ladderStep(Number(input.value), e.key === "ArrowUp" ? 1 : -1, id !== "lr"));
    changed();
  });
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
  let points = parsePoints($<HTMLTextAreaElement>("csv").value);
  if (typeof points !== "string" && points.length > MAX_POINTS)
    points = `${points.length} points: at most ${MAX_POINTS} can be used`;
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
  if (settings.points.length >= MAX_POINTS) {
    $("notice").textContent = `At most ${MAX_POINTS} points: clear some to add more.`;
    return;
  }
  const [x, y] = pointAt(e.currentTarget as HTMLCanvasElement, problem, e.clientX, e.clientY);
  settings.points.push([x, y, Number($<HTMLSelectElement>("click-class").value)]);
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
    $("notice").textContent = "Link copied: it reproduces this run.";
  } catch {
    $("notice").textContent = `Share this link: ${location.href}`;
  }
});

worker.addEventListener("error", (e) => {
  $("status").textContent = `The training worker failed: ${e.message || "it could not start"}`;
});
worker.addEventListener("message", (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  if (m.type === "error") {
    running = false;
    stopped = m.message;
    showRunning();
    scheduleDraw();
    return;
  }
  latest = m;
  if (Number.isFinite(m.msPerStep)) speed = m.msPerStep;
  for (const point of m.curve) {
    if (point.step > (curves.at(-1)?.step ?? -1)) curves.push(point);
  }
  if (!m.running && running) {
    running = false;
    showRunning();
  }
  scheduleDraw();
});

// ---- pictures --------------------------------------------------------------------------------

const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : "–");
const TRAIN = "#1f2937";
const TEST = "#e4572e";

function draw(): void {
  frame = 0;
  const p = latest;
  const cells = GRID * GRID;
  const neuron =
    p !== null && shownNeuron !== null && (shownNeuron + 1) * cells <= p.hidden.length
      ? { values: p.hidden, offset: shownNeuron * cells }
      : undefined;
  drawPlane($("boundary"), problem, {
    probs: p?.probs ?? null,
    discretize: settings.discretize,
    showTest: settings.showTest,
    neuron,
  });
  $("plane-caption").textContent =
    neuron !== undefined
      ? `Showing hidden neuron ${neuronName(shownNeuron ?? 0)}'s output (blue high, orange low); move away from the network to see the output.`
      : isRegression(settings.dataset)
        ? "Filled dots train, ringed dots test. Colour shows the output: blue +1, white 0, orange −1."
        : "Filled dots train, ringed dots test. Colour shows the predicted class, its strength the confidence.";
  if (p === null) return;
  // A run that stopped before its last step always says why.
  const state =
    stopped !== ""
      ? `stopped: ${stopped}`
      : p.running
        ? "training…"
        : p.step >= p.steps
          ? "done"
          : p.step === 0
            ? "ready"
            : "paused";
  $("status").textContent = `Step ${p.step} of ${p.steps} · lr ${short(p.lr)} · ${state}`;
  $<HTMLButtonElement>("train").disabled = p.step >= p.steps || stopped !== "";
  $<HTMLButtonElement>("step").disabled = p.step >= p.steps || stopped !== "";
  $("train-loss").textContent = readable(p.trainLoss);
  $("test-loss").textContent = readable(p.testLoss);
  $("train-acc").textContent = pct(p.trainAccuracy);
  $("test-acc").textContent = pct(p.testAccuracy);
  const perStep = speed < 10 ? speed.toPrecision(2) : speed.toFixed(0);
  $("engine-used").textContent = `${p.engine}${speed > 0 ? ` · ${perStep} ms per step` : ""}`;
  const line = (pick: (r: CurvePoint) => number, color: string): Series => ({
    points: curves.map((r) => [r.step, pick(r)] as const),
    color,
    dashed: color === TEST,
  });
  drawChart($("loss-chart"), [line((r) => r.trainLoss, TRAIN), line((r) => r.testLoss, TEST)], {
    format: short,
  });
  drawChart($("acc-chart"), [line((r) => r.trainAccuracy, TRAIN), line((r) => r.testAccuracy, TEST)], {
    yMax: 1,
    format: (v) => `${Math.round(v * 100)}%`,
  });
  network.update(p, problem.classes, { features: settings.features, domain: problem.domain });
}

/** "h2.3": hidden neuron `k` (counting every hidden layer in order) of the latest report. */
function neuronName(k: number): string {
  const sizes = latest?.sizes ?? [];
  let left = k;
  for (let l = 0; l < sizes.length - 1; l++) {
    if (left < sizes[l]) return `h${l + 1}.${left + 1}`;
    left -= sizes[l];
  }
  return `h?.${k + 1}`;
}

window.addEventListener("hashchange", () => {
  if (location.hash === toHash(settings)) return;
  noteRejected(location.hash);
  settings = fromHash(location.hash).settings;
  history.replaceState(null, "", toHash(settings));
  showView();
  restart();
  loadExample();
});
window.addEventListener("resize", scheduleDraw);

noteRejected(location.hash);
history.replaceState(null, "", toHash(settings));
showView();
restart();
loadExample();
