// The Language model view: starts the names model's training in its own worker (lm-worker.ts),
// draws the loss curve, and keeps a copy of the latest weights on the page, from which it draws
// new names at the chosen temperature and the next-character probabilities of a typed prefix.
// Loaded with a dynamic import the first time the view is opened.
import { MLPLanguageModel } from "../../src/index.ts";
import { showBars } from "./bars.ts";
import { drawChart } from "./chart.ts";
import { byId as $ } from "./dom.ts";
import type { FromLMWorker } from "./lm-protocol.ts";
import { nextCharacters, sampleNames, setWeights } from "./lm-setup.ts";

/** The view's state: its worker while one trains, the page's copy of the model, the curves. */
export class LanguageView {
  #worker: Worker | null = null;
  #model: MLPLanguageModel | null = null;
  #chars: string[] = [];
  #loss: [number, number][] = [];
  #val: [number, number][] = [];
  #frame = 0;

  constructor() {
    $("lm-train").addEventListener("click", () => this.train());
    $("lm-stop").addEventListener("click", () => this.stop("stopped"));
    $("lm-temp").addEventListener("input", () => this.#schedule());
    $("lm-prefix").addEventListener("input", () => this.#schedule());
    this.#schedule();
  }

  /** Starts a fresh run (random weights, step 0) in a new worker. */
  train(): void {
    this.stop("");
    this.#loss = [];
    this.#val = [];
    const worker = new Worker(new URL("./lm-worker.ts", import.meta.url), { type: "module" });
    this.#worker = worker;
    $("lm-status").textContent = "Loading the names…";
    $<HTMLButtonElement>("lm-stop").disabled = false;
    worker.addEventListener("message", (event: MessageEvent<FromLMWorker>) => this.#receive(event.data));
    worker.addEventListener("error", (e) => {
      this.stop(`the worker failed: ${e.message}`);
    });
  }

  /** Ends the run (the page keeps the last weights it received); `why` goes into the status. */
  stop(why: string): void {
    this.#worker?.terminate();
    this.#worker = null;
    $<HTMLButtonElement>("lm-stop").disabled = true;
    if (why !== "")
      $("lm-status").textContent = `${$("lm-status").textContent?.replace(/ · [^·]*$/, "")} · ${why}`;
  }

  #receive(m: FromLMWorker): void {
    if (m.type === "error") {
      this.stop(`stopped: ${m.message}`);
      return;
    }
    if (m.type === "ready") {
      this.#model = new MLPLanguageModel(m.config);
      this.#chars = m.chars;
      $("lm-status").textContent =
        `${m.names.toLocaleString("en")} names, ${m.trainWindows.toLocaleString("en")} training predictions, ${m.parameters.toLocaleString("en")} parameters · training…`;
      return;
    }
    if (this.#model) setWeights(this.#model, m.params);
    this.#loss.push([m.step, m.loss]);
    if (Number.isFinite(m.valLoss) && this.#val.at(-1)?.[1] !== m.valLoss)
      this.#val.push([m.step, m.valLoss]);
    const state = m.done ? "done" : "training…";
    $("lm-status").textContent =
      `Step ${m.step} of ${m.steps} · batch loss ${m.loss.toFixed(3)} · validation ${Number.isFinite(m.valLoss) ? m.valLoss.toFixed(3) : "–"} nats/char · ${Math.round(m.stepsPerSecond)} steps/s · ${state}`;
    if (m.done) {
      this.#worker?.terminate();
      this.#worker = null;
      $<HTMLButtonElement>("lm-stop").disabled = true;
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#frame === 0) this.#frame = requestAnimationFrame(() => this.#draw());
  }

  #draw(): void {
    this.#frame = 0;
    const temperature = Number($<HTMLInputElement>("lm-temp").value);
    $("lm-temp-value").textContent = temperature.toFixed(1);
    drawChart(
      $("lm-chart"),
      [
        { points: this.#loss, color: "#1f2937" },
        { points: this.#val, color: "#e4572e", dashed: true },
      ],
      { format: (v) => v.toFixed(1) },
    );
    const model = this.#model;
    if (model === null) {
      $("lm-samples").replaceChildren();
      $("lm-next").replaceChildren();
      return;
    }
    $("lm-samples").replaceChildren(
      ...sampleNames(model, this.#chars, temperature).map((name) => {
        const li = document.createElement("li");
        li.textContent = name === "" ? "(empty)" : name;
        return li;
      }),
    );
    const next = nextCharacters(model, this.#chars, $<HTMLInputElement>("lm-prefix").value, temperature);
    if (typeof next === "string") {
      const li = document.createElement("li");
      li.className = "error";
      li.textContent = next;
      $("lm-next").replaceChildren(li);
      return;
    }
    showBars(
      $("lm-next"),
      next.slice(0, 10).map(({ char, p }) => ({ label: char === "" ? "(end)" : char, p, key: char })),
    );
  }
}
