// The playground page: settings in the URL hash, training in a worker, pictures on canvas.
import { BackpropView } from "./backprop-view.ts";
import { drawChart, type Series } from "./chart.ts";
import { BOUND, fillSelects, readControls, showSettings } from "./controls.ts";
import { byId as $ } from "./dom.ts";
import { EXAMPLES, leafValues } from "./examples.ts";
import { NetworkView } from "./network-view.ts";
import { drawPlane, pointAt } from "./plane.ts";
import { makeProblem, type Problem } from "./problem.ts";
import type { CurvePoint, FromWorker, Progress, ToWorker } from "./protocol.ts";
import { fromHash, type Point, parsePoints, type Settings, toHash } from "./settings.ts";

let settings: Settings = fromHash(location.hash).settings;
let problem: Problem = makeProblem(settings);
let latest: Progress | null = null;
let curves: CurvePoint[] = [];
let running = false;
let frame = 0;
/** The engine's last measured time per update (0 until it has made some). */
let speed = 0;

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const send = (message: ToWorker): void => worker.postMessage(message);
const network = new NetworkView($("network"), $("weight-info"));
const backprop = new BackpropView($("graph"), $("explain"));

function scheduleDraw(): void {
  if (frame === 0) frame = requestAnimationFrame(draw);
}

/** Tells the visitor which values of a shared link were not understood. */
function noteRejected(hash: string): void {
  const { rejected } = fromHash(hash);
  $("notice").textContent =
    rejected.length > 0 ? `Ignored values in the link (defaults used): ${rejected.join(", ")}.` : "";
}

// ---- settings --------------------------------------------------------------------------------

/** Settings changed: write them to the URL and start over. */
function changed(): void {
  const switchedToCustom =
    settings.dataset !== "custom" && $<HTMLSelectElement>("dataset").value === "custom";
  settings = readControls(settings);
  if (switchedToCustom && settings.points.length === 0) {
    // Start from the points on screen, so that there is something to edit.
    const round = (v: number): number => Math.round(v * 100) / 100;
    const all = [
      ...problem.train.x.map((x, i) => [x, problem.train.y[i]] as const),
      ...problem.test.x.map((x, i) => [x, problem.test.y[i]] as const),
    ];
    settings.points = all.map(([x, y]): Point => [round(x[0]), round(x[1]), y]);
  }
  // A control can report the same value twice (input, then change on blur), or a value that was
  // not valid: start over only when something changed, else just show the settings again.
  const hash = toHash(settings);
  if (hash === location.hash) {
    showSettings(settings, problem, changed);
    return;
  }
  history.replaceState(null, "", hash);
  $("notice").textContent = "";
  restart();
}

function restart(): void {
  problem = makeProblem(settings);
  showSettings(settings, problem, changed);
  latest = null;
  curves = [];
  speed = 0;
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

fillSelects();
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
    showRunning();
    $("status").textContent = `Training stopped: ${m.message}`;
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
const num = (v: number): string => (Number.isFinite(v) ? v.toFixed(4) : "–");
const TRAIN = "#1f2937";
const TEST = "#e4572e";

function draw(): void {
  frame = 0;
  const p = latest;
  drawPlane($("boundary"), problem, p?.probs ?? null);
  if (p === null) return;
  const state = p.running ? "training…" : p.step >= p.steps ? "done" : p.step === 0 ? "ready" : "paused";
  $("status").textContent = `Step ${p.step} of ${p.steps} · lr ${p.lr.toPrecision(3)} · ${state}`;
  $<HTMLButtonElement>("train").disabled = p.step >= p.steps;
  $<HTMLButtonElement>("step").disabled = p.step >= p.steps;
  $("train-loss").textContent = num(p.trainLoss);
  $("test-loss").textContent = num(p.testLoss);
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
    format: (v) => v.toPrecision(2),
  });
  drawChart($("acc-chart"), [line((r) => r.trainAccuracy, TRAIN), line((r) => r.testAccuracy, TEST)], {
    yMax: 1,
    format: (v) => `${Math.round(v * 100)}%`,
  });
  network.update(p, problem.classes);
}

// ---- backpropagation ---------------------------------------------------------------------------

function loadExample(): void {
  const example = EXAMPLES[settings.expr];
  const values = leafValues(example, settings.values);
  backprop.load(settings.expr, settings.values);
  $("expr-text").textContent = example.formula;
  $<HTMLButtonElement>("back-step").disabled = false;
  $("leaves").replaceChildren(
    ...example.leaves.map(([name]) => {
      const input = document.createElement("input");
      input.type = "number";
      input.step = "any";
      input.id = `leaf-${name}`;
      input.value = String(values[name]);
      input.addEventListener("change", leavesChanged);
      const label = document.createElement("label");
      label.append(name, input);
      return label;
    }),
  );
}

/** An input of the expression was edited: rebuild it with the new values. */
function leavesChanged(): void {
  const example = EXAMPLES[settings.expr];
  const defaults = example.leaves.map(([, d]) => d);
  const values = example.leaves.map(([name], i) => {
    const v = Number($<HTMLInputElement>(`leaf-${name}`).value);
    return Number.isFinite(v) && $<HTMLInputElement>(`leaf-${name}`).value !== "" ? v : defaults[i];
  });
  settings.values = values.every((v, i) => v === defaults[i]) ? [] : values;
  history.replaceState(null, "", toHash(settings));
  loadExample();
}

$("expr").addEventListener("change", () => {
  settings = { ...readControls(settings), values: [] };
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
  noteRejected(location.hash);
  settings = fromHash(location.hash).settings;
  history.replaceState(null, "", toHash(settings));
  restart();
  loadExample();
});
window.addEventListener("resize", scheduleDraw);

noteRejected(location.hash);
history.replaceState(null, "", toHash(settings));
restart();
loadExample();
