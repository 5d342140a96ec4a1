// The Language model view: starts the names model's training in its own worker (lm-worker.ts for
// the MLP, lm-gpt-worker.ts for the GPT), draws the loss curve, and keeps a copy of the latest
// weights on the page, from which it draws new names at the chosen temperature and the
// next-character probabilities of a typed prefix.
// With the GPT chosen it also draws the attention heatmaps of the typed prefix; the GPT's code
// (lm-gpt.ts) loads the first time it is chosen. Loaded with a dynamic import the first time the
// view is opened.
import { type GPT, type GPTConfig, type LanguageModelConfig, MLPLanguageModel } from "../../src/index.ts";
import { showBars } from "./bars.ts";
import { drawChart } from "./chart.ts";
import { byId as $ } from "./dom.ts";
import type { FromLMWorker } from "./lm-protocol.ts";
import { type NamesArch, type NamesModel, nextCharacters, sampleNames, setWeights } from "./lm-setup.ts";

type GPTModule = typeof import("./lm-gpt.ts");

/** The view's state: its worker while one trains, the page's copy of the model, the curves. */
export class LanguageView {
  #worker: Worker | null = null;
  #arch: NamesArch;
  #gpt: GPTModule | null = null;
  #model: NamesModel | null = null;
  #chars: string[] = [];
  /** What the worker's tensors run on. */
  #engine = "";
  #loss: [number, number][] = [];
  #val: [number, number][] = [];
  #frame = 0;

  /** `arch` is the model the URL names; `onArch` is told when the visitor picks another. */
  constructor(arch: NamesArch, onArch: (arch: NamesArch) => void) {
    this.#arch = arch;
    this.#showArch();
    $("lm-arch").addEventListener("change", () => {
      const chosen = $<HTMLSelectElement>("lm-arch").value as NamesArch;
      this.choose(chosen);
      onArch(chosen);
    });
    // the button stays disabled until this code is loaded: a click before it would be lost
    const train = $<HTMLButtonElement>("lm-train");
    train.addEventListener("click", () => void this.train());
    train.disabled = false;
    $("lm-stop").addEventListener("click", () => this.stop("stopped"));
    $("lm-temp").addEventListener("input", () => this.#schedule());
    $("lm-prefix").addEventListener("input", () => this.#schedule());
    this.#schedule();
  }

  /** Shows `arch` (MLP or GPT) untrained: a run of the other model ends. */
  choose(arch: NamesArch): void {
    if (arch === this.#arch) return;
    this.#arch = arch;
    this.#showArch();
    this.stop("");
    this.#model = null;
    this.#loss = [];
    this.#val = [];
    $("lm-status").textContent = "Not trained yet: the weights are random.";
    this.#schedule();
  }

  #showArch(): void {
    const arch = this.#arch;
    $<HTMLSelectElement>("lm-arch").value = arch;
    $("lm-gpt-hint").hidden = arch !== "gpt";
    $("lm-mlp-hint").hidden = arch !== "mlp";
    $("lm-attention-box").hidden = arch !== "gpt";
  }

  /** Starts a fresh run (random weights, step 0) of the chosen model in a new worker. */
  async train(): Promise<void> {
    this.stop("");
    this.#loss = [];
    this.#val = [];
    const arch = this.#arch;
    $("lm-status").textContent = "Loading the names…";
    // The page needs the GPT's code for the weights the worker sends: loaded before it starts.
    if (arch === "gpt") {
      this.#gpt ??= await import("./lm-gpt.ts");
      // the other model was chosen, or a second click started a run, while it loaded
      if (this.#arch !== arch || this.#worker !== null) return;
    }
    // two worker bundles: the MLP's carries neither the GPT nor the wasm engine
    const worker =
      arch === "gpt"
        ? new Worker(new URL("./lm-gpt-worker.ts", import.meta.url), { type: "module" })
        : new Worker(new URL("./lm-worker.ts", import.meta.url), { type: "module" });
    this.#worker = worker;
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
      this.#model =
        m.arch === "gpt" && this.#gpt !== null
          ? this.#gpt.makeGPT(m.config as GPTConfig)
          : new MLPLanguageModel(m.config as LanguageModelConfig);
      this.#chars = m.chars;
      this.#engine = m.engine;
      $("lm-status").textContent =
        `${m.names.toLocaleString("en")} names, ${m.predictions.toLocaleString("en")} training predictions, ${m.parameters.toLocaleString("en")} parameters · training…`;
      return;
    }
    if (this.#model) setWeights(this.#model, m.params);
    this.#loss.push([m.step, m.loss]);
    if (Number.isFinite(m.valLoss) && this.#val.at(-1)?.[1] !== m.valLoss)
      this.#val.push([m.step, m.valLoss]);
    const state = m.done ? "done" : "training…";
    $("lm-status").textContent =
      `Step ${m.step} of ${m.steps} · batch loss ${m.loss.toFixed(3)} · validation ${Number.isFinite(m.valLoss) ? m.valLoss.toFixed(3) : "–"} nats/char · ${Math.round(m.stepsPerSecond)} steps/s on ${this.#engine} · ${state}`;
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
      $("lm-attention").replaceChildren();
      return;
    }
    $("lm-samples").replaceChildren(
      ...sampleNames(model, this.#chars, temperature).map((name) => {
        const li = document.createElement("li");
        li.textContent = name === "" ? "(empty)" : name;
        return li;
      }),
    );
    const prefix = $<HTMLInputElement>("lm-prefix").value;
    if (this.#gpt !== null && "block" in model.config) {
      // The library's picture, its labels escaped by it: one heatmap per layer and head.
      $("lm-attention").innerHTML = this.#gpt.attentionPicture(model as GPT, this.#chars, prefix) ?? "";
    }
    const next = nextCharacters(model, this.#chars, prefix, temperature);
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
