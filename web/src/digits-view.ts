// The Digits view: trains an MLP or the convolutional network on MNIST digits in its own worker
// (digits-worker.ts, on the wasm backend), draws the accuracy curve, and keeps a copy of the
// latest weights on the page, with which it reads what is drawn on the pad (mouse, pen or finger)
// while it is drawn: the class probabilities and every hidden layer's output. Loaded with a
// dynamic import the first time the view is opened; the digits file only when a run starts.
import digitsUrl from "virtual:mnist-digits";
import { loadSequentialStateDict, type Sequential } from "../../src/index.ts";
import { showBars } from "./bars.ts";
import { drawChart } from "./chart.ts";
import { digitFromInk } from "./digits-input.ts";
import { drawHidden, drawInput } from "./digits-pictures.ts";
import type { DigitsReady, FromDigitsWorker } from "./digits-protocol.ts";
import { type DigitsArch, digitsNetwork, readDigit } from "./digits-setup.ts";
import { byId as $ } from "./dom.ts";

/** Pen width as a share of the pad's side (MNIST strokes are about a tenth of the digit). */
const PEN = 1 / 14;

/** The view's state: its worker while one trains, the page's copy of the network, the curves. */
export class DigitsView {
  #worker: Worker | null = null;
  #model: Sequential | null = null;
  #ready: DigitsReady | null = null;
  /** The network of the run in progress (or of the last one). */
  #arch: DigitsArch = "mlp";
  #batch: [number, number][] = [];
  #test: [number, number][] = [];
  #frame = 0;
  #last: [number, number] | null = null;
  readonly #pad = $<HTMLCanvasElement>("digits-pad");
  /** The pad's drawing context, read back at every frame while drawing. */
  readonly #ctx = this.#pad.getContext("2d", { willReadFrequently: true }) as CanvasRenderingContext2D;

  constructor() {
    // the button stays disabled until this code is loaded: a click before it would be lost
    const train = $<HTMLButtonElement>("digits-train");
    train.addEventListener("click", () => this.train());
    train.disabled = false;
    $("digits-stop").addEventListener("click", () => this.stop("stopped"));
    $("digits-clear").addEventListener("click", () => {
      this.#ctx.clearRect(0, 0, this.#pad.width, this.#pad.height);
      this.#schedule();
    });
    this.#pad.addEventListener("pointerdown", (e) => {
      this.#pad.setPointerCapture(e.pointerId);
      this.#last = this.#at(e);
      this.#ink(this.#last, this.#last);
    });
    this.#pad.addEventListener("pointermove", (e) => {
      if (this.#last === null) return;
      const next = this.#at(e);
      this.#ink(this.#last, next);
      this.#last = next;
    });
    for (const type of ["pointerup", "pointercancel"])
      this.#pad.addEventListener(type, () => {
        this.#last = null;
      });
    this.#schedule();
  }

  /** Starts a fresh run of the chosen network in a new worker. */
  train(): void {
    this.stop("");
    this.#batch = [];
    this.#test = [];
    const arch = $<HTMLSelectElement>("digits-arch").value as DigitsArch;
    this.#arch = arch;
    const worker = new Worker(new URL("./digits-worker.ts", import.meta.url), { type: "module" });
    this.#worker = worker;
    $("digits-status").textContent = "Loading the digits…";
    $<HTMLButtonElement>("digits-stop").disabled = false;
    worker.addEventListener("message", (event: MessageEvent<FromDigitsWorker>) => this.#receive(event.data));
    worker.addEventListener("error", (e) => this.stop(`the worker failed: ${e.message}`));
    worker.postMessage({ type: "start", arch, url: new URL(digitsUrl, location.href).href });
  }

  /** Ends the run (the page keeps the last weights it received); `why` goes into the status. */
  stop(why: string): void {
    this.#worker?.terminate();
    this.#worker = null;
    $<HTMLButtonElement>("digits-stop").disabled = true;
    if (why !== "")
      $("digits-status").textContent = `${$("digits-status").textContent?.replace(/ · [^·]*$/, "")} · ${why}`;
  }

  #receive(m: FromDigitsWorker): void {
    if (m.type === "error") {
      this.stop(`stopped: ${m.message}`);
      return;
    }
    if (m.type === "ready") {
      this.#ready = m;
      this.#model = digitsNetwork(this.#arch).model;
      $("digits-status").textContent =
        `${m.describe}, ${m.parameters.toLocaleString("en")} parameters, on ${m.engine} · ${m.train.toLocaleString("en")} training digits · training…`;
      return;
    }
    if (this.#model !== null) loadSequentialStateDict(this.#model, m.weights, "digits");
    this.#batch.push([m.step, m.accuracy]);
    if (m.testAccuracy !== undefined) this.#test.push([m.step, m.testAccuracy]);
    const test = this.#test.at(-1)?.[1];
    const pct = (v: number | undefined): string => (v === undefined ? "–" : `${(v * 100).toFixed(1)}%`);
    $("digits-status").textContent =
      `Step ${m.step} of ${m.steps} · loss ${m.loss.toFixed(3)} · test accuracy ${pct(test)} on ${this.#ready?.test.toLocaleString("en")} digits · ${m.msPerStep.toFixed(0)} ms per step · ${m.done ? "done" : "training…"}`;
    if (m.done) {
      this.#worker?.terminate();
      this.#worker = null;
      $<HTMLButtonElement>("digits-stop").disabled = true;
    }
    this.#schedule();
  }

  /** A pointer's place in pad pixels. */
  #at(e: PointerEvent): [number, number] {
    const box = this.#pad.getBoundingClientRect();
    return [
      ((e.clientX - box.left) / box.width) * this.#pad.width,
      ((e.clientY - box.top) / box.height) * this.#pad.height,
    ];
  }

  /** Draws a stroke from `a` to `b` and reads the digit again. */
  #ink(a: [number, number], b: [number, number]): void {
    const ctx = this.#ctx;
    ctx.strokeStyle = "#111827";
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.lineWidth = this.#pad.width * PEN;
    ctx.beginPath();
    ctx.moveTo(a[0], a[1]);
    ctx.lineTo(b[0], b[1]);
    ctx.stroke();
    this.#schedule();
  }

  #schedule(): void {
    if (this.#frame === 0) this.#frame = requestAnimationFrame(() => this.#draw());
  }

  #draw(): void {
    this.#frame = 0;
    drawChart(
      $("digits-chart"),
      [
        { points: this.#batch, color: "#1f2937" },
        { points: this.#test, color: "#e4572e", dashed: true },
      ],
      { yMax: 1, format: (v) => `${Math.round(v * 100)}%` },
    );
    const { width, height } = this.#pad;
    const alpha = this.#ctx.getImageData(0, 0, width, height).data;
    const ink = new Float32Array(width * height);
    for (let i = 0; i < ink.length; i++) ink[i] = alpha[4 * i + 3] / 255;
    const pixels = digitFromInk(ink, width, height);
    drawInput($<HTMLCanvasElement>("digits-seen"), pixels);
    const empty = pixels.every((v) => v === 0);
    if (this.#model === null || this.#ready === null || empty) {
      $("digits-probs").replaceChildren();
      $("digits-hidden").replaceChildren();
      delete $("digits-guess").dataset.digit;
      $("digits-guess").textContent =
        this.#model === null ? "Train a network, then draw a digit." : "Draw a digit on the pad.";
      return;
    }
    const reading = readDigit(this.#model, pixels, this.#ready.mean, this.#ready.std);
    const order = Array.from(reading.probs, (p, digit) => ({ p, digit })).sort((a, b) => b.p - a.p);
    const { digit, p } = order[0];
    $("digits-guess").textContent =
      `It reads ${digit === 8 ? "an" : "a"} ${digit} (${(p * 100).toFixed(1)}%)`;
    $("digits-guess").dataset.digit = String(digit);
    showBars(
      $("digits-probs"),
      Array.from(reading.probs, (p, digit) => ({ label: String(digit), p, key: String(digit) })),
    );
    drawHidden($("digits-hidden"), reading.hidden);
  }
}
